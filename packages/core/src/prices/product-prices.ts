/**
 * One product's current prices across stores, as each store reads them (resolved prices), cheapest
 * first (then by unit price and store), with the store's company, code and name.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver, ProductId, StoreId } from '../extensions/api.js';
import { prepared } from '../db/prepared.js';
import { resolvedPricesQuery, toResolvedPrice, type ResolvedPrice } from './resolved.js';
import { storeSummaryOf, type StoreSummary } from './store-summaries.js';

export interface StorePrice extends ResolvedPrice {
  readonly store: StoreSummary;
}

export interface ProductPricesOptions {
  /** Database ids of the stores to read; all stores when absent. */
  readonly storeIds?: readonly StoreId[] | undefined;
  /** Only prices scraped on this date (`YYYY-MM-DD`) or later. */
  readonly scrapedSince?: string | undefined;
}

export async function productPrices(knex: Knex, resolver: PricingStoreResolver, productId: ProductId, options: ProductPricesOptions = {}): Promise<StorePrice[]> {
  const storeIds = options.storeIds ?? (await knex.raw<{ rows: Array<{ id: string | number }> }>('select id from stores order by id')).rows.map((r) => Number(r.id));
  if (storeIds.length === 0) return [];
  const mapping = await resolver.pricingStoreOf(storeIds);
  // One statement: the prices with their stores' names.
  const { rows } = (await prepared(resolvedPricesQuery(knex, mapping, { productIds: [productId], scrapedSince: options.scrapedSince, withStores: true }))) as unknown as { rows: Array<Record<string, unknown>> };
  return rows
    .map((r) => ({ ...toResolvedPrice(r), store: storeSummaryOf(r) }))
    .sort((a, b) => Number(a.price) - Number(b.price) || Number(a.unitPrice ?? Infinity) - Number(b.unitPrice ?? Infinity) || a.storeId - b.storeId);
}
