/**
 * Which anchor pairs reach the comparer. Identical fingerprints merge without a comparison; for the
 * rest, each anchor proposes one partner per round: the anchor sharing most signature bands with
 * it (ties: the larger group, then the older), skipping remembered non-matches. Within a band only
 * the {@link PER_BAND} best-ranked anchors are looked at, so a band shared by a thousand anchors costs
 * a thousand look-ups, not half a million.
 *
 * Bands find stores whose assortments mostly overlap. A store that lists a small share of another's
 * range (a regional store) shares few bands with it however equal its prices, so when no band
 * proposal is left, {@link partialOverlapPairs} looks at single bins instead: where two anchors'
 * bins hold the same minimum product, that product is common to both, so over those bins the share
 * at equal price estimates the equal share over their common products, whatever the overlap.
 */
import type { PriceSignature } from './price-signatures.js';

export const PER_BAND = 4;

export interface AnchorGroup {
  readonly groupId: number;
  readonly anchorStoreId: number;
  /** Stores in the group (changes as groups merge). */
  size: number;
  readonly signature: PriceSignature;
}

/** Larger group first; among equals the older group (smaller id). */
export function outranks(x: AnchorGroup, y: AnchorGroup): boolean {
  return x.size > y.size || (x.size === y.size && x.groupId < y.groupId);
}

const byRank = (x: AnchorGroup, y: AnchorGroup) => (outranks(x, y) ? -1 : outranks(y, x) ? 1 : 0);

export const pairKey = (g1: number, g2: number) => (g1 < g2 ? `${g1}:${g2}` : `${g2}:${g1}`);

/** Groups with identical fingerprints, best-ranked first; only buckets of two or more. */
export function fingerprintBuckets(groups: readonly AnchorGroup[]): AnchorGroup[][] {
  const buckets = new Map<string, AnchorGroup[]>();
  for (const g of groups) pushTo(buckets, g.signature.fingerprint, g);
  return [...buckets.values()].filter((b) => b.length > 1).map((b) => b.sort(byRank));
}

/** One proposed partner per anchor (deduplicated pairs), or none when every candidate is remembered. */
export function proposedPairs(groups: readonly AnchorGroup[], remembered: ReadonlySet<string>): Array<[AnchorGroup, AnchorGroup]> {
  const bands = new Map<string, AnchorGroup[]>();
  for (const g of groups) for (const band of g.signature.bands) pushTo(bands, band, g);
  for (const list of bands.values()) list.sort(byRank);
  const pairs = new Map<string, [AnchorGroup, AnchorGroup]>();
  for (const a of groups) {
    const scores = new Map<AnchorGroup, number>();
    for (const band of a.signature.bands) {
      let taken = 0;
      for (const x of bands.get(band) ?? []) {
        if (x === a || remembered.has(pairKey(a.groupId, x.groupId))) continue;
        scores.set(x, (scores.get(x) ?? 0) + 1);
        if (++taken >= PER_BAND) break;
      }
    }
    let best: AnchorGroup | undefined;
    let bestScore = 0;
    for (const [x, score] of scores) {
      if (score > bestScore || (score === bestScore && best !== undefined && outranks(x, best))) {
        best = x;
        bestScore = score;
      }
    }
    if (best) pairs.set(pairKey(a.groupId, best.groupId), [a, best]);
  }
  return [...pairs.values()];
}

/** Bins with a common product a pair needs before its equal share is trusted as a candidate. */
export const MIN_COMMON_BINS = 6;
/** The estimated equal share (over common bins) that makes a pair a candidate. */
export const CANDIDATE_EQUAL_SHARE = 0.9;
/** Anchors looked at per (bin, product), best-ranked first. */
export const PER_BIN = 16;

/**
 * Candidates by containment rather than overlap: for each anchor, the anchors whose bins share its
 * minimum products (at most {@link PER_BIN} best-ranked per bin), counted as common bins and equal
 * bins; each anchor proposes the one with the highest equal share among those with at least
 * {@link MIN_COMMON_BINS} common bins and a share of at least {@link CANDIDATE_EQUAL_SHARE}. Cost:
 * anchors × bins × PER_BIN look-ups, not pairs of anchors.
 */
export function partialOverlapPairs(groups: readonly AnchorGroup[], remembered: ReadonlySet<string>): Array<[AnchorGroup, AnchorGroup]> {
  const byProduct = new Map<string, AnchorGroup[]>();
  for (const g of groups) for (const key of g.signature.bins.keys()) pushTo(byProduct, key, g);
  for (const list of byProduct.values()) list.sort(byRank);
  const pairs = new Map<string, [AnchorGroup, AnchorGroup]>();
  for (const a of groups) {
    const tally = new Map<AnchorGroup, { common: number; equal: number }>();
    for (const [key, cents] of a.signature.bins) {
      let taken = 0;
      for (const x of byProduct.get(key) ?? []) {
        if (x === a || remembered.has(pairKey(a.groupId, x.groupId))) continue;
        const t = tally.get(x) ?? { common: 0, equal: 0 };
        t.common++;
        if (x.signature.bins.get(key) === cents) t.equal++;
        tally.set(x, t);
        if (++taken >= PER_BIN) break;
      }
    }
    let best: AnchorGroup | undefined;
    let bestShare = 0;
    for (const [x, { common, equal }] of tally) {
      const share = equal / common;
      if (common < MIN_COMMON_BINS || share < CANDIDATE_EQUAL_SHARE) continue;
      if (share > bestShare || (share === bestShare && best !== undefined && outranks(x, best))) {
        best = x;
        bestShare = share;
      }
    }
    if (best) pairs.set(pairKey(a.groupId, best.groupId), [a, best]);
  }
  return [...pairs.values()];
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
