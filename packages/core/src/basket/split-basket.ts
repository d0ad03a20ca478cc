/**
 * Split a basket across at most k of the shopper's stores at the lowest total: reads each item's
 * resolved price at each store (and, with swaps allowed, its LVL1–LVL2 substitutes' prices where
 * the store lacks the item), solves the split exactly, and reports the plan, the total, the saving
 * against the best single store, the items no chosen store sells, and every swap.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver } from '../extensions/api.js';
import { resolvedPrices, type ResolvedPrice } from '../prices/resolved.js';
import { substitutePairs } from '../reads/substitutions.js';
import { storesOf, type StoreSummary } from '../prices/store-summaries.js';
import { bestSingleStore, solveSplit, type SplitInstance, type SplitOption, type SplitSolution } from './split-model.js';

export interface BasketItem {
  readonly productId: number;
  readonly quantity: number;
}

export interface SplitRequest {
  readonly items: readonly BasketItem[];
  readonly storeIds: readonly number[];
  /** 1–4. */
  readonly maxStores: number;
  /** Allow a same-brand other-size (LVL1) or near-identical (LVL2) product where a store lacks an item. */
  readonly substitutes: boolean;
}

export interface PlannedItem {
  readonly productId: number;
  readonly quantity: number;
  readonly storeId: number;
  /** What to buy: the item, or its substitute when swapped. */
  readonly buyProductId: number;
  readonly price: string;
  /** Price × quantity. */
  readonly cost: string;
  readonly swap: { productId: number; level: number } | null;
}

export interface BasketPlan {
  readonly stores: Array<StoreSummary & { total: string; items: number }>;
  readonly items: PlannedItem[];
  readonly total: string;
  /** The best single store for the same basket, or null when no store sells any item. */
  readonly bestSingleStore: { storeId: number; total: string; unserved: number } | null;
  /** The single store's total less this plan's, when both serve the same items; else null. */
  readonly saving: string | null;
  readonly unserved: Array<{ productId: number; quantity: number; reason: 'sold-at-none-of-the-stores' | 'sold-only-at-stores-not-chosen' }>;
  readonly swaps: Array<{ productId: number; substituteId: number; level: number; storeId: number }>;
}

interface Candidate {
  readonly option: SplitOption;
  readonly buyProductId: number;
  readonly price: ResolvedPrice;
  readonly level: number;
}

export async function splitBasket(knex: Knex, resolver: PricingStoreResolver, request: SplitRequest): Promise<BasketPlan> {
  const items = mergeItems(request.items);
  const productIds = items.map((i) => i.productId);
  const pairs = request.substitutes ? await substitutePairs(knex, productIds, 2) : [];
  const wanted = [...new Set([...productIds, ...pairs.map((p) => p.substituteId)])];
  const [prices, info] = await Promise.all([resolvedPrices(knex, resolver, request.storeIds, { productIds: wanted }), storesOf(knex, request.storeIds)]);
  const priceAt = new Map(prices.map((p) => [`${p.storeId}:${p.productId}`, p]));

  const candidates: Candidate[][] = items.map((item) =>
    request.storeIds.flatMap((storeId): Candidate[] => {
      const own = priceAt.get(`${storeId}:${item.productId}`);
      if (own) return [{ option: { storeId, costCents: cents(own.price) * item.quantity, swap: false }, buyProductId: item.productId, price: own, level: 0 }];
      let best: Candidate | undefined;
      for (const pair of pairs) {
        if (pair.productId !== item.productId) continue;
        const price = priceAt.get(`${storeId}:${pair.substituteId}`);
        if (price && (best === undefined || cents(price.price) < cents(best.price.price))) {
          best = { option: { storeId, costCents: cents(price.price) * item.quantity, swap: true }, buyProductId: pair.substituteId, price, level: pair.level };
        }
      }
      return best ? [best] : [];
    }),
  );
  const instance: SplitInstance = { storeIds: request.storeIds, items: candidates.map((c) => c.map((o) => o.option)), maxStores: request.maxStores };
  const solution = await solveSplit(instance);
  const single = bestSingleStore(instance);
  return plan(items, candidates, solution, single, info);
}

function plan(items: readonly BasketItem[], candidates: Candidate[][], solution: SplitSolution, single: SplitSolution | undefined, info: Map<number, StoreSummary>): BasketPlan {
  const planned: PlannedItem[] = [];
  const unserved: BasketPlan['unserved'] = [];
  items.forEach((item, i) => {
    const chosen = candidates[i]![solution.choice[i]!];
    if (!chosen) {
      unserved.push({ ...item, reason: candidates[i]!.length === 0 ? 'sold-at-none-of-the-stores' : 'sold-only-at-stores-not-chosen' });
      return;
    }
    planned.push({
      productId: item.productId,
      quantity: item.quantity,
      storeId: chosen.option.storeId,
      buyProductId: chosen.buyProductId,
      price: chosen.price.price,
      cost: money(chosen.option.costCents),
      swap: chosen.option.swap ? { productId: chosen.buyProductId, level: chosen.level } : null,
    });
  });
  const stores = solution.stores.map((storeId) => {
    const mine = planned.filter((p) => p.storeId === storeId);
    return { ...info.get(storeId)!, total: money(mine.reduce((sum, p) => sum + cents(p.cost), 0)), items: mine.length };
  });
  const singleStore = single && single.unserved < items.length ? { storeId: single.stores[0]!, total: money(single.costCents), unserved: single.unserved } : null;
  return {
    stores,
    items: planned,
    total: money(solution.costCents),
    bestSingleStore: singleStore,
    saving: single && singleStore && single.unserved === solution.unserved && single.swaps === solution.swaps ? money(single.costCents - solution.costCents) : null,
    unserved,
    swaps: planned.filter((p) => p.swap).map((p) => ({ productId: p.productId, substituteId: p.buyProductId, level: p.swap!.level, storeId: p.storeId })),
  };
}

/** One line per product: quantities of repeated products add up. */
function mergeItems(items: readonly BasketItem[]): BasketItem[] {
  const merged = new Map<number, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

function cents(price: string): number {
  return Math.round(Number(price) * 100);
}

function money(cents: number): string {
  return (cents / 100).toFixed(2);
}
