/**
 * A product's price history at a store, for a chart: the change-only history rows (the first price
 * seen and every change), and the current price as the last point. A store without history of its
 * own reads its pricing store's, as it reads its prices.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver } from '../extensions/api.js';
import { sharedHistoryRowsSql } from '../prices/shared-history.js';
import { OWN_PRICE_ROWS } from '../prices/shared-rows.js';

export interface PricePoint {
  readonly date: string;
  readonly price: string;
  readonly wasPrice: string | null;
  readonly isOnSpecial: boolean;
}

export interface PriceHistory {
  readonly productId: number;
  readonly storeId: number;
  /** Whose rows these are: the store itself or its pricing store. */
  readonly sourceStoreId: number;
  /** Oldest first. */
  readonly points: PricePoint[];
}

export async function priceHistory(knex: Knex, resolver: PricingStoreResolver, productId: number, storeId: number): Promise<PriceHistory> {
  const own = await historyRows(knex, productId, storeId);
  if (own.length > 0) return { productId, storeId, sourceStoreId: storeId, points: own };
  const source = (await resolver.pricingStoreOf([storeId])).get(storeId) ?? storeId;
  return { productId, storeId, sourceStoreId: source, points: source === storeId ? own : await historyRows(knex, productId, source) };
}

async function historyRows(knex: Knex, productId: number, storeId: number): Promise<PricePoint[]> {
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select date, price, was_price, is_on_special from (
       select to_char(h.scraped_date, 'YYYY-MM-DD') as date, h.price::text as price, h.was_price::text as was_price, h.is_on_special, 0 as current
       from (select h.scraped_date, h.price, h.was_price, h.is_on_special from price_history h where h.store_id = ? and h.product_id = ?
             union all
             select h.scraped_date, h.price, h.was_price, h.is_on_special from (${sharedHistoryRowsSql('(select ?::bigint as store_id)', 'h.product_id = ?')}) h) h
       union all
       select to_char(p.scraped_date, 'YYYY-MM-DD'), p.price::text, p.was_price::text, p.is_on_special, 1
       from ${OWN_PRICE_ROWS} p where p.store_id = ? and p.product_id = ?
         and not exists (select 1 from price_history h where h.store_id = p.store_id and h.product_id = p.product_id and h.scraped_date >= p.scraped_date)
     ) x order by date, current`,
    [storeId, productId, storeId, productId, storeId, productId],
  );
  return rows.map((r) => ({ date: String(r.date), price: String(r.price), wasPrice: (r.was_price as string | null) ?? null, isOnSpecial: r.is_on_special === true }));
}
