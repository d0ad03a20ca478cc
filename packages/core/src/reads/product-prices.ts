/**
 * What a product costs at some stores: each store's resolved price (its own row, or its pricing
 * store's), cheapest first, and the stores that have none.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver } from '../extensions/api.js';
import { resolvedPrices, type ResolvedPrice } from '../prices/resolved.js';
import { storesInfo, type StoreInfo } from './stores-info.js';

export interface StorePrice extends ResolvedPrice {
  readonly store: StoreInfo;
}

export interface ProductPrices {
  readonly productId: number;
  /** Cheapest first (ties by store id). */
  readonly prices: StorePrice[];
  /** Stores asked about that have no price for the product. */
  readonly missing: number[];
}

export async function productPrices(knex: Knex, resolver: PricingStoreResolver, productId: number, storeIds: readonly number[]): Promise<ProductPrices> {
  const [prices, info] = await Promise.all([resolvedPrices(knex, resolver, storeIds, { productIds: [productId] }), storesInfo(knex, storeIds)]);
  const priced = prices.filter((p) => info.has(p.storeId)).map((p) => ({ ...p, store: info.get(p.storeId)! }));
  priced.sort((a, b) => Number(a.price) - Number(b.price) || a.storeId - b.storeId);
  const seen = new Set(priced.map((p) => p.storeId));
  return { productId, prices: priced, missing: storeIds.filter((id) => !seen.has(id)) };
}
