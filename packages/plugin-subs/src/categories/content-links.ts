/**
 * MATCH links from what the categories hold, not from their names. For each leaf category A and
 * each company (A's own included, so a one-company database links `Milk` with `Long Life Milk`),
 * a few candidate categories come from the centroids (the normalised mean of their product
 * vectors). Each product of A then votes for the candidate holding its closest counterpart (best
 * cosine), if that counterpart is close (cosine ≥ {@link CLOSE_COUNTERPART}) and of the same kind
 * (the two names end in the same head noun or are of one product type: a pizza's closest counterpart among the other
 * company's pizza sauces does not count, nor a milk's among milk chocolates); a product with no such counterpart votes for nothing. A → B is kept when B wins at least {@link MIN_VOTE} of A's votes and its counterparts
 * are close on average (mean best cosine ≥ {@link MIN_SIMILARITY}); the link's score is the larger
 * vote share of its kept directions: the share of a category's products whose nearest kind is in
 * the other. A narrow category fits inside a broad one (IGA `Peaches, Nectarines, Melons &
 * Mangoes` → Aldi `Fresh Fruits`) but not the other way, so one direction is enough. Names mislead
 * (`Pizza And Pasta Sauces` reads like `Frozen Pizzas`); products do not: pasta sauces vote for
 * the other company's sauces. To stay fast on large catalogues, the votes are cast by at most
 * {@link SAMPLE} products of each category (spread evenly over it) against at most as many of
 * each candidate.
 */
import { crossRowMaxima } from '../embeddings/similarity-kernel.js';
import { normaliseInPlace, packRows } from '../embeddings/vectors.js';
import { scoreOf } from '../generators/pair-collector.js';
import type { CategoryLink, LeafCategory } from './category-links.js';

/** Products per category that S is computed on. */
export const SAMPLE = Number(process.env.TROLLEY_LINK_SAMPLE ?? 32);
/** Candidates per category and company, from the centroids. */
const CANDIDATES = Number(process.env.TROLLEY_LINK_CANDIDATES ?? 2);
/** Share of A's products whose closest counterpart must be in B to link A to B. */
export const MIN_VOTE = Number(process.env.TROLLEY_MIN_VOTE ?? 0.15);
/** Lowest mean best cosine of A's products with B's that links A to B. */
export const MIN_SIMILARITY = 0.7;
/** A product votes only when its closest counterpart is at least this near (cosine). */
export const CLOSE_COUNTERPART = Number(process.env.TROLLEY_CLOSE ?? 0.7);

export interface CategoryMembers {
  readonly category: LeafCategory;
  /** Normalised vectors of its products. */
  readonly vectors: readonly Float32Array[];
  /**
   * Per product, the id of its head noun and its product type (-1: none; data/product-types.json):
   * two products are of one kind when either is equal (`… Chocolate Bar` ~ `… Chocolate Block`
   * end in two nouns but are both chocolate).
   */
  readonly kinds: ReadonlyArray<{ readonly head: number; readonly type?: number }>;
}

export function contentMatchLinks(members: readonly CategoryMembers[], dimensions: number): CategoryLink[] {
  const cats = members.filter((m) => m.vectors.length > 0);
  const centroids = cats.map((m) => centroid(m.vectors, dimensions));
  const samples = cats.map((m) => packRows(spread(m.vectors, SAMPLE), dimensions));
  const counts = cats.map((m) => Math.min(SAMPLE, m.vectors.length));
  const kinds = cats.map((m) => spread(m.kinds, SAMPLE));
  const sameKind = (x: { head: number; type?: number }, y: { head: number; type?: number }) => (x.head >= 0 && x.head === y.head) || (x.type !== undefined && x.type >= 0 && x.type === y.type);
  // Candidates: each category's nearest centroids in every company.
  const candidates = new Set<number>();
  const key = (i: number, j: number) => Math.min(i, j) * cats.length + Math.max(i, j);
  for (let i = 0; i < cats.length; i++) {
    const byCompany = new Map<number, Array<[number, number]>>();
    for (let j = 0; j < cats.length; j++) {
      if (j === i) continue;
      const list = byCompany.get(cats[j]!.category.companyId) ?? [];
      list.push([j, dot(centroids[i]!, centroids[j]!)]);
      byCompany.set(cats[j]!.category.companyId, list);
    }
    for (const list of byCompany.values()) for (const [j] of list.sort((x, y) => y[1] - x[1]).slice(0, CANDIDATES)) candidates.add(key(i, j));
  }
  // Each sampled product's best cosine with each candidate, in both directions.
  const rowMaxima = new Map<number, Map<number, { max: Float64Array; arg: Int32Array }>>();
  const put = (from: number, to: number, maxima: { max: Float64Array; arg: Int32Array }) => {
    let byTarget = rowMaxima.get(from);
    if (!byTarget) rowMaxima.set(from, (byTarget = new Map()));
    byTarget.set(to, maxima);
  };
  for (const k of candidates) {
    const i = Math.floor(k / cats.length);
    const j = k % cats.length;
    const { left, leftArg, right, rightArg } = crossRowMaxima(samples[i]!, counts[i]!, samples[j]!, counts[j]!, dimensions);
    put(i, j, { max: left, arg: leftArg });
    put(j, i, { max: right, arg: rightArg });
  }
  // Votes: per category and company, each product for the candidate holding its closest counterpart.
  const links = new Map<number, CategoryLink>();
  for (const [from, byTarget] of rowMaxima) {
    const byCompany = new Map<number, number[]>();
    for (const to of byTarget.keys()) {
      const company = cats[to]!.category.companyId;
      byCompany.set(company, [...(byCompany.get(company) ?? []), to]);
    }
    for (const targets of byCompany.values()) {
      const votes = new Map<number, number>();
      for (let row = 0; row < counts[from]!; row++) {
        let winner = -1;
        let best = -Infinity;
        for (const to of targets) {
          const score = byTarget.get(to)!.max[row]!;
          if (score > best || (score === best && to < winner)) [winner, best] = [to, score];
        }
        if (best >= CLOSE_COUNTERPART && sameKind(kinds[from]![row]!, kinds[winner]![byTarget.get(winner)!.arg[row]!]!)) votes.set(winner, (votes.get(winner) ?? 0) + 1);
      }
      for (const [to, n] of votes) {
        const share = n / counts[from]!;
        if (share < MIN_VOTE || mean(byTarget.get(to)!.max) < MIN_SIMILARITY) continue;
        const a = Math.min(cats[from]!.category.id, cats[to]!.category.id);
        const b = Math.max(cats[from]!.category.id, cats[to]!.category.id);
        const k = key(from, to);
        const found = links.get(k);
        if (!found || share > found.score) links.set(k, { a, b, kind: 'MATCH', score: scoreOf(share) });
      }
    }
  }
  return [...links.values()].sort((x, y) => x.a - y.a || x.b - y.b);
}

function centroid(vectors: readonly Float32Array[], dimensions: number): Float32Array {
  const sum = new Float32Array(dimensions);
  for (const v of vectors) for (let k = 0; k < dimensions; k++) sum[k]! += v[k]!;
  return normaliseInPlace(sum);
}

/** At most `n` of `items`, evenly spaced (all of them when there are no more than `n`). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, k) => items[Math.floor((k * items.length) / n)]!);
}

function dot(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  return s;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? 0 : s / values.length;
}
