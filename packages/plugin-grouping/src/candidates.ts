/**
 * Which anchor pairs reach the comparer. Identical fingerprints merge without a comparison; for the
 * rest, each anchor proposes one partner per round: the anchor sharing most signature bands with
 * it (ties: the larger group, then the older), skipping remembered non-matches. Within a band only
 * the {@link PER_BAND} best-ranked anchors are looked at, so a band shared by a thousand anchors costs
 * a thousand look-ups, not half a million.
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
