/**
 * Bargains a shopper can have at their stores. The bargains are the bargains plugin's table (one
 * per product, credited to the pricing store with the cheapest price); a store sees the bargains
 * credited to its pricing store, at its own resolved price. A database without the table has none.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver } from '../extensions/api.js';
import { bigintArray } from '../db/sql-arrays.js';

export interface BargainAtStore {
  readonly productId: number;
  readonly name: string;
  readonly brand: string | null;
  /** The shopper's store it applies to. */
  readonly storeId: number;
  readonly price: string;
  readonly maxPrice: string;
  /** 1 − price / max price, as a percentage with one decimal. */
  readonly discountPercent: number;
}

export async function bargainsAtStores(knex: Knex, resolver: PricingStoreResolver, storeIds: readonly number[], limit: number): Promise<BargainAtStore[]> {
  const present = await knex.raw<{ rows: Array<{ present: boolean }> }>(`select to_regclass('bargains') is not null as present`);
  if (present.rows[0]?.present !== true || storeIds.length === 0) return [];
  const mapping = await resolver.pricingStoreOf(storeIds);
  const stores = [...storeIds];
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `with map as (select unnest(?::bigint[]) as store_id, unnest(?::bigint[]) as pricing_store_id)
     select distinct on (b.product_id) b.product_id, p.name, br.name as brand, m.store_id, b.min_price::text as price, b.max_price::text as max_price,
            round((1 - b.min_price / b.max_price) * 1000) / 10 as discount
     from bargains b join map m on m.pricing_store_id = b.store_id
     join products p on p.id = b.product_id left join brands br on br.id = p.brand_id
     order by b.product_id, m.store_id`,
    [bigintArray(stores), bigintArray(stores.map((s) => mapping.get(s) ?? s))],
  );
  return rows
    .map((r) => ({
      productId: Number(r.product_id),
      name: String(r.name),
      brand: (r.brand as string | null) ?? null,
      storeId: Number(r.store_id),
      price: String(r.price),
      maxPrice: String(r.max_price),
      discountPercent: Number(r.discount),
    }))
    .sort((a, b) => b.discountPercent - a.discountPercent || a.productId - b.productId)
    .slice(0, limit);
}
