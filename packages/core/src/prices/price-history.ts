/**
 * One product's price history: its change events (a price, was-price or special flag that differs
 * from the one before) per store, oldest first; a store that shares its group's history reads it
 * as its own (prices/shared-history.ts).
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import type { PricingStoreResolver, ProductId, StoreId } from '../extensions/api.js';
import { productPrices } from './product-prices.js';
import { sharedHistoryRowsSql } from './shared-history.js';
import { storesOf, type StoreSummary } from './store-summaries.js';

export interface PriceChange {
  readonly storeId: StoreId;
  readonly store: StoreSummary;
  /** The scrape that first showed these values, `YYYY-MM-DD`. */
  readonly date: string;
  readonly price: string;
  readonly wasPrice: string | null;
  readonly isOnSpecial: boolean;
}

export interface PriceHistoryOptions {
  readonly storeIds?: readonly StoreId[] | undefined;
  /** Only changes on this date (`YYYY-MM-DD`) or later. */
  readonly since?: string | undefined;
}

export async function priceHistory(knex: Knex, productId: ProductId, options: PriceHistoryOptions = {}): Promise<PriceChange[]> {
  const storeIds = options.storeIds ? bigintArray(options.storeIds) : null;
  // Each store's own events, and those it reads from the store whose rows it shared (shared-history.ts).
  const { rows } = await knex.raw<{ rows: Array<{ store_id: string | number; date: string; price: string; was_price: string | null; is_on_special: boolean }> }>(
    `with hs as (select id as store_id from stores where ?::bigint[] is null or id = any(?::bigint[]))
     select h.store_id, to_char(h.scraped_date, 'YYYY-MM-DD') as date, h.price::text as price, h.was_price::text as was_price, h.is_on_special
     from (
       select h.store_id, h.product_id, h.scraped_date, h.price, h.was_price, h.is_on_special from price_history h
       where h.product_id = ? and (?::bigint[] is null or h.store_id = any(?::bigint[]))
       union all
       ${sharedHistoryRowsSql('hs', 'h.product_id = ?')}
     ) h
     where ?::date is null or h.scraped_date >= ?::date
     order by h.store_id, h.scraped_date`,
    [storeIds, storeIds, productId, storeIds, storeIds, productId, options.since ?? null, options.since ?? null],
  );
  const stores = await storesOf(knex, rows.map((r) => Number(r.store_id)));
  return rows.map((r) => ({ storeId: Number(r.store_id), store: stores.get(Number(r.store_id))!, date: r.date, price: r.price, wasPrice: r.was_price, isOnSpecial: r.is_on_special }));
}

export interface ChartPoint {
  readonly date: string;
  readonly price: string;
  readonly wasPrice: string | null;
  readonly isOnSpecial: boolean;
}

export interface ChartHistory {
  readonly productId: ProductId;
  readonly storeId: StoreId;
  /** Whose prices these are: the store's own (as it reads them), or, for a store never scraped, its pricing store's. */
  readonly sourceStoreId: StoreId;
  /** Oldest first: each change event, then the current price as of the store's last scrape. */
  readonly points: ChartPoint[];
}

/**
 * A product's price over time at one store, for a chart: its change events and its current price
 * as the last point. A store never scraped reads its pricing store's, as it reads its prices.
 */
export async function chartHistory(knex: Knex, resolver: PricingStoreResolver, productId: ProductId, storeId: StoreId): Promise<ChartHistory> {
  const [current] = await productPrices(knex, resolver, productId, { storeIds: [storeId] });
  const source = current?.estimate ? current.sourceStoreId : storeId;
  const points: ChartPoint[] = (await priceHistory(knex, productId, { storeIds: [source] })).map(({ date, price, wasPrice, isOnSpecial }) => ({ date, price, wasPrice, isOnSpecial }));
  const last = points[points.length - 1];
  if (current && (!last || current.scrapedDate > last.date)) points.push({ date: current.scrapedDate, price: current.price, wasPrice: current.wasPrice, isOnSpecial: current.isOnSpecial });
  return { productId, storeId, sourceStoreId: source, points };
}
