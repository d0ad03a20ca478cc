/**
 * The comparer (docs/groups.md, Match): two stores match when, over the products both price currently,
 * there are at least `minOverlap` common products and at least 98% of them have exactly the same
 * price. Any number of store pairs are compared in one SQL statement.
 */
import { bigintArray, dateArray, OWN_PRICE_ROWS, storedReadRowsSql } from '@trolley/core';
import type { Knex } from 'knex';
import { rowsOf } from './sql.js';

export const DEFAULT_MIN_OVERLAP = 50;
/** 98% as a fraction with integers: equal / overlap ≥ 49 / 50. */
const EQUAL_NUMERATOR = 49;
const EQUAL_DENOMINATOR = 50;

export interface StorePair {
  readonly a: number;
  readonly b: number;
  /** Rows scraped on or after this date are current (the company's freshness cutoff). */
  readonly cutoff: string;
}

export interface Comparison {
  readonly a: number;
  readonly b: number;
  /** Products both stores price currently. */
  readonly overlap: number;
  /** Of those, products at exactly the same price. */
  readonly equal: number;
  readonly match: boolean;
}

export function isMatch(overlap: number, equal: number, minOverlap: number): boolean {
  return overlap >= minOverlap && equal * EQUAL_DENOMINATOR >= overlap * EQUAL_NUMERATOR;
}

/**
 * Compares every pair in one statement; the result has one comparison per pair, in input order.
 * With `sharedA`, the `a` stores are read as they resolve (own rows and the rows they share, with
 * their own scrape dates): a member's latest scrape, however it is stored. `b` is read from its own
 * rows (an anchor, which shares nothing).
 */
export async function comparePairs(knex: Knex, pairs: readonly StorePair[], minOverlap: number, options: { sharedA?: boolean } = {}): Promise<Comparison[]> {
  if (pairs.length === 0) return [];
  const aRows = options.sharedA
    ? `(select r.store_id, r.product_id, r.scraped_date, p.price from (${storedReadRowsSql('a_stores')}) r join prices p on p.id = r.price_id)`
    : OWN_PRICE_ROWS;
  const rows = rowsOf<{ a: number | string; b: number | string; overlap: number; equal: number }>(
    await knex.raw(
      `with pairs as (select unnest(?::bigint[]) as a, unnest(?::bigint[]) as b, unnest(?::date[]) as cutoff),
            a_stores as (select distinct a as store_id from pairs)
       select pr.a, pr.b, count(*)::int as overlap, count(*) filter (where pa.price = pb.price)::int as equal
       from pairs pr
       join ${aRows} pa on pa.store_id = pr.a and pa.scraped_date >= pr.cutoff
       join ${OWN_PRICE_ROWS} pb on pb.store_id = pr.b and pb.product_id = pa.product_id and pb.scraped_date >= pr.cutoff
       group by pr.a, pr.b`,
      [bigintArray(pairs.map((p) => p.a)), bigintArray(pairs.map((p) => p.b)), dateArray(pairs.map((p) => p.cutoff))],
    ),
  );
  const found = new Map(rows.map((r) => [`${Number(r.a)}:${Number(r.b)}`, r]));
  return pairs.map(({ a, b }) => {
    const r = found.get(`${a}:${b}`);
    const overlap = r?.overlap ?? 0;
    const equal = r?.equal ?? 0;
    return { a, b, overlap, equal, match: isMatch(overlap, equal, minOverlap) };
  });
}
