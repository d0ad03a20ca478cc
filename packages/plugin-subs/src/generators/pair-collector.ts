/**
 * Unordered product pairs of one level, each kept once with its best score. The semantic levels
 * find millions of pairs, so they are held in typed columns (the two products' ranks by id and the
 * score) rather than one object or map entry each; {@link PairCollector.pairs} orders them by
 * (a, b) with two counting-sort passes over the ranks, drops repeats, and only then makes the
 * {@link SubstitutionPair} records.
 */
import type { CatalogueProduct, SubstitutionPair } from '@trolley/core';

const INITIAL_CAPACITY = 1 << 16;

export class PairCollector {
  /** Product ids in ascending order; a product's rank is its index here. */
  private readonly ids: Float64Array;
  /** Rank of each catalogue index. */
  private readonly rankOf: Int32Array;
  private low = new Int32Array(INITIAL_CAPACITY);
  private high = new Int32Array(INITIAL_CAPACITY);
  private scores = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  constructor(
    private readonly level: number,
    catalogue: readonly CatalogueProduct[],
  ) {
    const byId = Array.from(catalogue, (_, index) => index).sort((x, y) => catalogue[x]!.id - catalogue[y]!.id);
    this.ids = new Float64Array(byId.length);
    this.rankOf = new Int32Array(byId.length);
    byId.forEach((index, rank) => {
      this.ids[rank] = catalogue[index]!.id;
      this.rankOf[index] = rank;
    });
  }

  /** Adds the pair of catalogue indexes `x`, `y` (either order) with `score`. */
  add(x: number, y: number, score: number): void {
    const rx = this.rankOf[x]!;
    const ry = this.rankOf[y]!;
    if (this.ids[rx] === this.ids[ry]) return;
    if (this.count === this.low.length) this.grow();
    this.low[this.count] = Math.min(rx, ry);
    this.high[this.count] = Math.max(rx, ry);
    this.scores[this.count] = score;
    this.count++;
  }

  /** Pairs ordered by (a, b), each once with its best score; scores clamped to [0, 1] and rounded to 6 decimals. */
  pairs(): SubstitutionPair[] {
    const byHigh = countingSort(this.high, this.count, identity(this.count), this.ids.length);
    const order = countingSort(this.low, this.count, byHigh, this.ids.length);
    const pairs: SubstitutionPair[] = [];
    for (let n = 0; n < this.count; ) {
      const first = order[n]!;
      const low = this.low[first]!;
      const high = this.high[first]!;
      let best = this.scores[first]!;
      for (n++; n < this.count && this.low[order[n]!] === low && this.high[order[n]!] === high; n++) best = Math.max(best, this.scores[order[n]!]!);
      pairs.push({ a: this.ids[low]!, b: this.ids[high]!, level: this.level, score: scoreOf(best) });
    }
    return pairs;
  }

  private grow(): void {
    const capacity = this.low.length * 2;
    const low = new Int32Array(capacity);
    const high = new Int32Array(capacity);
    const scores = new Float64Array(capacity);
    low.set(this.low);
    high.set(this.high);
    scores.set(this.scores);
    this.low = low;
    this.high = high;
    this.scores = scores;
  }
}

function identity(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/** `order` stably re-sorted by `keys[order[i]]` (integers in [0, range)). */
function countingSort(keys: Int32Array, count: number, order: Int32Array, range: number): Int32Array {
  const starts = new Int32Array(range + 1);
  for (let i = 0; i < count; i++) starts[keys[i]! + 1]!++;
  for (let k = 0; k < range; k++) starts[k + 1]! += starts[k]!;
  const sorted = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const entry = order[i]!;
    sorted[starts[keys[entry]!]!++] = entry;
  }
  return sorted;
}

export function scoreOf(cosine: number): number {
  return Math.round(Math.min(1, Math.max(0, cosine)) * 1e6) / 1e6;
}
