/**
 * The one record shape of a substitution, from generation to storage (docs/substitutions.md): generators return
 * {@link SubstitutionPair}s, the pairs file holds them as they are, and the table's columns are
 * mapped from the same fields. Adding a field to the pair without a column is a compile error here.
 */
import type { SubstitutionPair } from '@trolley/core';

export const PAIR_COLUMNS = { a: 'product_a', b: 'product_b', level: 'level', score: 'score' } as const satisfies Record<keyof SubstitutionPair, string>;

export type PairRow = { [K in keyof SubstitutionPair as (typeof PAIR_COLUMNS)[K]]: SubstitutionPair[K] };

export function toRow(pair: SubstitutionPair): PairRow {
  return { product_a: pair.a, product_b: pair.b, level: pair.level, score: pair.score };
}

export function fromRow(row: { [K in keyof PairRow]: PairRow[K] | string }): SubstitutionPair {
  return { a: Number(row.product_a), b: Number(row.product_b), level: Number(row.level), score: Number(row.score) };
}

/** Why a value is not a pair, or undefined when it is one: ids positive integers with a < b, a whole level ≥ 1, a score in [0, 1]. */
export function pairProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not a {"a", "b", "level", "score"} object';
  const p = value as Record<string, unknown>;
  for (const field of Object.keys(PAIR_COLUMNS) as Array<keyof SubstitutionPair>) {
    if (typeof p[field] !== 'number' || !Number.isFinite(p[field])) return `has no numeric "${field}"`;
  }
  const { a, b, level, score } = p as unknown as SubstitutionPair;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a <= 0 || a >= b) return `has product ids ${a} and ${b}; they must be positive whole numbers with a < b`;
  if (!Number.isInteger(level) || level < 1) return `has level ${level}; levels are whole numbers from 1`;
  if (score < 0 || score > 1) return `has score ${score}; scores are in [0, 1]`;
  return undefined;
}

/**
 * One pair per unordered product pair: the strongest (lowest) level wins; at one level, the higher
 * score. Ordered by (a, b). Sorting by pair then strength and keeping the first of each run needs
 * no key per pair, and the generators' lists come mostly sorted already (LVL3 and LVL4 in (a, b)
 * order), which the array sort's run detection turns into a merge.
 */
export function strongestPerPair(pairs: Iterable<SubstitutionPair>): SubstitutionPair[] {
  const sorted = Array.from(pairs).sort((x, y) => x.a - y.a || x.b - y.b || x.level - y.level || y.score - x.score);
  const best: SubstitutionPair[] = [];
  for (const pair of sorted) {
    const last = best[best.length - 1];
    if (last === undefined || last.a !== pair.a || last.b !== pair.b) best.push(pair);
  }
  return best;
}
