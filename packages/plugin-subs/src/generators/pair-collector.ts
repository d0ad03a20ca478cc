import type { ProductId, SubstitutionPair } from '@trolley/core';

/** Unordered product pairs of one level, each kept once with its best score. */
export class PairCollector {
  private readonly byA = new Map<ProductId, Map<ProductId, number>>();
  private size_ = 0;

  constructor(private readonly level: number) {}

  add(x: ProductId, y: ProductId, score: number): void {
    if (x === y) return;
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    let row = this.byA.get(a);
    if (!row) this.byA.set(a, (row = new Map()));
    const previous = row.get(b);
    if (previous === undefined) this.size_++;
    if (previous === undefined || score > previous) row.set(b, score);
  }

  get size(): number {
    return this.size_;
  }

  /** Pairs ordered by (a, b); scores clamped to [0, 1] and rounded to 6 decimals. */
  pairs(): SubstitutionPair[] {
    const pairs: SubstitutionPair[] = [];
    for (const a of [...this.byA.keys()].sort((p, q) => p - q)) {
      const row = this.byA.get(a)!;
      for (const b of [...row.keys()].sort((p, q) => p - q)) pairs.push({ a, b, level: this.level, score: scoreOf(row.get(b)!) });
    }
    return pairs;
  }
}

export function scoreOf(cosine: number): number {
  return Math.round(Math.min(1, Math.max(0, cosine)) * 1e6) / 1e6;
}
