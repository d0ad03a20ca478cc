/**
 * The comparer (docs/groups.md, Match): two stores match when, over the products both price currently,
 * there are at least `minOverlap` common products and at least 98% of them have exactly the same
 * price. Any number of store pairs are compared in one SQL statement.
 *
 * A member that reads its anchor's rows is compared by its differences ({@link compareSharingPairs}):
 * every product it reads through the sharing is the anchor's own row, so it is common and equal by
 * construction, and only the member's own rows and exclusion marks need looking at.
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
 * Compares every pair in one statement; the result has one comparison per pair, in input order (a
 * pair asked twice, with two cutoffs, is counted once for each).
 * With `sharedA`, the `a` stores are read as they resolve (own rows and the rows they share, with
 * their own scrape dates): a member's latest scrape, however it is stored. `b` is read from its own
 * rows (an anchor, which shares nothing).
 */
export async function comparePairs(knex: Knex, pairs: readonly StorePair[], minOverlap: number, options: { sharedA?: boolean } = {}): Promise<Comparison[]> {
  if (pairs.length === 0) return [];
  const aRows = options.sharedA
    ? `(select r.store_id, r.product_id, r.scraped_date, p.price from (${storedReadRowsSql('a_stores')}) r join prices p on p.id = r.price_id)`
    : OWN_PRICE_ROWS;
  const rows = rowsOf<PairCounts & { n: number | string }>(
    await knex.raw(
      `with pairs as (select * from unnest(?::bigint[], ?::bigint[], ?::date[]) with ordinality as x(a, b, cutoff, n)),
            a_stores as (select distinct a as store_id from pairs)
       select pr.n, pr.a, pr.b, count(*)::int as overlap, count(*) filter (where pa.price = pb.price)::int as equal
       from pairs pr
       join ${aRows} pa on pa.store_id = pr.a and pa.scraped_date >= pr.cutoff
       join ${OWN_PRICE_ROWS} pb on pb.store_id = pr.b and pb.product_id = pa.product_id and pb.scraped_date >= pr.cutoff
       group by pr.n, pr.a, pr.b`,
      [bigintArray(pairs.map((p) => p.a)), bigintArray(pairs.map((p) => p.b)), dateArray(pairs.map((p) => p.cutoff))],
    ),
  );
  // By the pair's place in the input (1-based), so that one pair asked with two cutoffs keeps both counts.
  const found = new Map(rows.map((r) => [Number(r.n), r]));
  return pairs.map(({ a, b }, i) => comparison(a, b, found.get(i + 1), minOverlap));
}

/**
 * Compares, by its differences, each `a` that reads `b`'s rows (`price_sharing`, source `b`): the
 * same overlap and equal counts as {@link comparePairs} with `sharedA`, from rows in proportion to
 * what `a` stores (its own rows and exclusion marks) plus one count of `b`'s current rows, instead
 * of `a`'s whole range. A product `a` reads through the sharing is `b`'s row, dated `a`'s share date:
 * common and equal when that date and the row are current. So, per pair:
 *
 *     overlap = own ∩ b current (own row current) + [share date current] × (b current − b current products a holds a row or mark for)
 *     equal   = own ∩ b current at the same price (own row current) + the same shared term
 *
 * Returns one comparison per pair, in input order; undefined for a pair whose `a` does not read
 * `b`'s rows (compare those with {@link comparePairs}).
 */
export async function compareSharingPairs(knex: Knex, pairs: readonly StorePair[], minOverlap: number): Promise<Array<Comparison | undefined>> {
  if (pairs.length === 0) return [];
  const rows = rowsOf<{ a: number | string; b: number | string; overlap: number; equal: number }>(
    await knex.raw(
      `with pairs as (select unnest(?::bigint[]) as a, unnest(?::bigint[]) as b, unnest(?::date[]) as cutoff),
            sharing as materialized (
              select distinct pr.a, pr.b, pr.cutoff, sh.scraped_date >= pr.cutoff as shared_current
              from pairs pr join price_sharing sh on sh.store_id = pr.a and sh.source_store_id = pr.b
            ),
            source_current as materialized (
              select x.b, x.cutoff, (select count(*) from ${OWN_PRICE_ROWS} pb where pb.store_id = x.b and pb.scraped_date >= x.cutoff)::int as n
              from (select distinct b, cutoff from sharing where shared_current) x
            ),
            member_rows as materialized (
              select s.a, s.b, s.cutoff, s.shared_current, pa.product_id, pa.price, pa.scraped_date >= s.cutoff as current
              from sharing s join ${OWN_PRICE_ROWS} pa on pa.store_id = s.a
            ),
            terms as (
              -- The products read through the sharing: the source's current rows ...
              select s.a, s.b, coalesce(c.n, 0) as overlap, coalesce(c.n, 0) as equal
              from sharing s left join source_current c on s.shared_current and c.b = s.b and c.cutoff = s.cutoff
              union all
              -- ... less those the member holds a row for, which count as its own rows say ...
              select m.a, m.b, m.current::int - m.shared_current::int, (m.current and m.price = pb.price)::int - m.shared_current::int
              from member_rows m join ${OWN_PRICE_ROWS} pb on pb.store_id = m.b and pb.product_id = m.product_id and pb.scraped_date >= m.cutoff
              union all
              -- ... and less those it marked as not listed.
              select s.a, s.b, -1, -1
              from sharing s
              join price_exclusions e on e.store_id = s.a
              join ${OWN_PRICE_ROWS} pb on pb.store_id = s.b and pb.product_id = e.product_id and pb.scraped_date >= s.cutoff
              where s.shared_current and not exists (select 1 from prices o where o.store_id = s.a and o.product_id = e.product_id)
            )
       select a, b, sum(overlap)::int as overlap, sum(equal)::int as equal from terms group by a, b`,
      [bigintArray(pairs.map((p) => p.a)), bigintArray(pairs.map((p) => p.b)), dateArray(pairs.map((p) => p.cutoff))],
    ),
  );
  const found = countsByPair(rows);
  return pairs.map(({ a, b }) => {
    const counts = found.get(`${a}:${b}`);
    return counts && comparison(a, b, counts, minOverlap);
  });
}

type PairCounts = { a: number | string; b: number | string; overlap: number; equal: number };

const countsByPair = (rows: readonly PairCounts[]) => new Map(rows.map((r) => [`${Number(r.a)}:${Number(r.b)}`, r]));

function comparison(a: number, b: number, counts: PairCounts | undefined, minOverlap: number): Comparison {
  const overlap = Number(counts?.overlap ?? 0);
  const equal = Number(counts?.equal ?? 0);
  return { a, b, overlap, equal, match: isMatch(overlap, equal, minOverlap) };
}
