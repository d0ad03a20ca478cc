/**
 * Products' current prices across stores, as each store reads them (resolved prices), cheapest
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
  /** Only these (store, product) pairs (of `storeIds` and the products asked for). */
  readonly pairs?: ReadonlyArray<readonly [StoreId, ProductId]> | undefined;
}

export async function productPrices(knex: Knex, resolver: PricingStoreResolver, productId: ProductId, options: ProductPricesOptions = {}): Promise<StorePrice[]> {
  return (await productsPrices(knex, resolver, [productId], options)).get(productId) ?? [];
}

/** The prices of each of `productIds` (a product no store asked about prices is missing from the map). */
export async function productsPrices(knex: Knex, resolver: PricingStoreResolver, productIds: readonly ProductId[], options: ProductPricesOptions = {}): Promise<Map<ProductId, StorePrice[]>> {
  const storeIds = options.storeIds ?? (await knex.raw<{ rows: Array<{ id: string | number }> }>('select id from stores order by id')).rows.map((r) => Number(r.id));
  const byProduct = new Map<ProductId, StorePrice[]>();
  if (storeIds.length === 0 || productIds.length === 0) return byProduct;
  const mapping = await resolver.pricingStoreOf(storeIds);
  // One statement: the prices with their stores' names.
  const { rows } = (await prepared(resolvedPricesQuery(knex, mapping, { productIds, scrapedSince: options.scrapedSince, pairs: options.pairs, withStores: true }))) as unknown as { rows: Array<Record<string, unknown>> };
  for (const r of rows) {
    const price = { ...toResolvedPrice(r), store: storeSummaryOf(r) };
    const prices = byProduct.get(price.productId);
    if (prices === undefined) byProduct.set(price.productId, [price]);
    else prices.push(price);
  }
  for (const prices of byProduct.values()) prices.sort((a, b) => Number(a.price) - Number(b.price) || Number(a.unitPrice ?? Infinity) - Number(b.unitPrice ?? Infinity) || a.storeId - b.storeId);
  return byProduct;
}
