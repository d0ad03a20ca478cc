/**
 * Signatures of a store's current (product, price) set, computed in SQL in one pass over its rows,
 * so that merging need not compare every anchor with every other:
 *
 * - **fingerprint**: md5 of the sorted (product, price) list. Equal fingerprints mean equal sets,
 *   hence a match (given `minOverlap` rows) with no comparison at all.
 * - **bands** (MinHash with locality-sensitive hashing, one-permutation variant): products are
 *   hashed (a 32-bit integer mix, so that consecutive ids land at random) into {@link BINS} bins; each bin keeps its minimum-hash product with its price; bins are
 *   grouped into bands of {@link ROWS_PER_BAND}, each band hashed to one key. A bin agrees between two
 *   stores when its minimum product is sold by both (probability: the Jaccard index J of their
 *   assortments) at the same price (98% for a match). With 40 bands of 3 bins, stores with J = 0.75
 *   and 100% equal prices (the real Aldi stores differ this much in assortment) agree on a band with
 *   probability 0.42 and miss all 40 with probability 0.58⁴⁰ ≈ 4·10⁻¹⁰. Sharing a band makes a
 *   pair a candidate; only candidates reach the comparer, which decides.
 */
import { bigintArray, OWN_PRICE_ROWS } from '@trolley/core';
import type { Knex } from 'knex';
import { rowsOf } from './sql.js';

export const BINS = 120;
export const ROWS_PER_BAND = 3;

export interface PriceSignature {
  readonly storeId: number;
  /** Current price rows. */
  readonly rows: number;
  readonly fingerprint: string;
  /** `band:key` strings, one per band that has products. */
  readonly bands: readonly string[];
  /** Per bin that has products: `bin:product` of its minimum-hash product, and that product's price in cents. */
  readonly bins: ReadonlyMap<string, number>;
}

/** Signatures of the given stores' rows scraped on or after `cutoff`, one statement. */
export async function priceSignatures(knex: Knex, storeIds: readonly number[], cutoff: string): Promise<PriceSignature[]> {
  if (storeIds.length === 0) return [];
  const rows = rowsOf<{ store_id: number | string; n: number; fp: string; bands: string | null; bins: string | null }>(
    await knex.raw(
      `with current as (
         select p.store_id, p.product_id, (p.price * 100)::bigint as cents, m2.x # (m2.x >> 16) as h
         from ${OWN_PRICE_ROWS} p
         cross join lateral (select (((p.product_id % 4294967296) # ((p.product_id % 4294967296) >> 16)) * 73244475) % 4294967296 as x) m1
         cross join lateral (select ((m1.x # (m1.x >> 16)) * 73244475) % 4294967296 as x) m2
         where p.store_id = any(?::bigint[]) and p.scraped_date >= ?::date
       ),
       fingerprints as (
         select store_id, count(*)::int as n, md5(string_agg(product_id::text || ':' || cents::text, ',' order by product_id)) as fp
         from current group by store_id
       ),
       bins as (
         select distinct on (store_id, h % ${BINS}) store_id, (h % ${BINS})::int as bin, (h / ${BINS}) * 100000000 + cents as v, product_id, cents
         from current order by store_id, h % ${BINS}, h, product_id
       ),
       bands as (
         select store_id, bin / ${ROWS_PER_BAND} as band, md5(string_agg(bin::text || ':' || v::text, ',' order by bin)) as key
         from bins group by store_id, bin / ${ROWS_PER_BAND}
       )
       select f.store_id, f.n, f.fp, b.bands, m.bins
       from fingerprints f
       left join (select store_id, string_agg(band::text || ':' || key, ' ' order by band) as bands from bands group by store_id) b using (store_id)
       left join (select store_id, string_agg(bin::text || ':' || product_id::text || ':' || cents::text, ' ' order by bin) as bins from bins group by store_id) m using (store_id)
       order by f.store_id`,
      [bigintArray(storeIds), cutoff],
    ),
  );
  return rows.map((r) => ({ storeId: Number(r.store_id), rows: Number(r.n), fingerprint: r.fp, bands: r.bands ? r.bands.split(' ') : [], bins: binsOf(r.bins) }));
}

function binsOf(text: string | null): Map<string, number> {
  const bins = new Map<string, number>();
  for (const item of text ? text.split(' ') : []) {
    const last = item.lastIndexOf(':');
    bins.set(item.slice(0, last), Number(item.slice(last + 1)));
  }
  return bins;
}
