/**
 * "The prices of store S" as every reader must see them: exactly the products of the store's last
 * full scrape (plus later upserts), each with the values and the date of the store's own scrape,
 * whichever row stores them (docs/groups.md, Reads) — its own row, or the row of the store it shares (see shared-rows.ts).
 * A store never scraped reads the rows of the pricing store the highest-priority
 * {@link PricingStoreResolver} names (its company's largest group's anchor), marked as an estimate.
 * Bargains and exports read prices through here.
 */
import type { DependencyContainer } from 'tsyringe';
import type { Knex } from 'knex';
import type { PricingStoreResolver, ProductId, StoreId } from '../extensions/api.js';
import type { ExtensionRegistry } from '../extensions/registry.js';
import { bigintArray } from '../db/sql-arrays.js';
import { readRowsSql } from './shared-rows.js';

/** One resolved price. Money is text with 2 decimals (4 for unit prices), dates `YYYY-MM-DD`. */
export interface ResolvedPrice {
  /** The store asked about. */
  readonly storeId: StoreId;
  readonly productId: ProductId;
  readonly price: string;
  readonly wasPrice: string | null;
  readonly isOnSpecial: boolean;
  readonly unitPrice: string | null;
  readonly unit: string | null;
  readonly isAvailable: boolean | null;
  readonly scrapedDate: string;
  /** Whose row supplied the values: `storeId` itself, or the store it shares rows with. */
  readonly sourceStoreId: StoreId;
  /** True for a store never scraped: the values are another store's, an estimate. */
  readonly estimate: boolean;
}

/** The installed resolver with the highest priority (the first registered among equals). */
export async function pricingStoreResolver(registry: ExtensionRegistry, container: DependencyContainer): Promise<PricingStoreResolver> {
  const all = await registry.all('PricingStoreResolver', container);
  let best: PricingStoreResolver | undefined;
  for (const { extension } of all) if (best === undefined || extension.priority > best.priority) best = extension;
  if (best === undefined) throw new Error('No PricingStoreResolver is registered; the core registers "identity", so the core plugin failed to load.');
  return best;
}

export interface ResolvedPricesOptions {
  readonly productIds?: readonly ProductId[] | undefined;
  /** Only rows scraped on this date (`YYYY-MM-DD`) or later. */
  readonly scrapedSince?: string | undefined;
  /** Keyset: only rows after this (store, product). */
  readonly after?: readonly [StoreId, ProductId] | undefined;
  readonly limit?: number | undefined;
  /** Only these (store, product) pairs of the stores and products asked for. */
  readonly pairs?: ReadonlyArray<readonly [StoreId, ProductId]> | undefined;
  /** Also the asked store's company, code, name, state and postcode (`store_company`, `store_code`, …). */
  readonly withStores?: boolean | undefined;
}

/**
 * A set-based query of the resolved prices of the stores in `mapping` (store → pricing store), in
 * the shape of {@link ResolvedPrice} (snake_case columns) plus the row's `id`, ordered by store and
 * product — a unique key, so pages taken with `after` and `limit` never repeat or skip a row.
 */
export function resolvedPricesQuery(knex: Knex, mapping: ReadonlyMap<StoreId, StoreId>, options: ResolvedPricesOptions = {}): Knex.Raw {
  const stores = [...mapping.keys()].sort((a, b) => a - b);
  const bindings: Knex.RawBinding[] = [bigintArray(stores), bigintArray(stores.map((s) => mapping.get(s) ?? s))];
  // Each filter is written only when asked for. A server runs this statement as a named one
  // (db/prepared.ts), and PostgreSQL keeps one plan for it only if that plan's estimate is as good
  // as a plan made for the values: an unused `limit $n` or keyset test left in the text made the
  // kept plan walk every store in order (1.7 ms a run against 0.4 ms), so PostgreSQL planned the
  // statement again on every run instead (about 1.5 ms, four times the run itself).
  let pending = 'map';
  if (options.after !== undefined) {
    pending = 'map where store_id >= ?';
    bindings.push(options.after[0]);
  }
  // Only some products: the filter goes into each branch of the read (readRowsSql), where an index
  // finds those products' rows; outside the union it would read every row of the stores first.
  // One product is a value, not an array, for the same reason as above: PostgreSQL estimates an
  // array it does not see at ten elements, so the kept plan of a one-product statement cost ten
  // times the plan made for its values, and was never used.
  const products = options.productIds;
  let wanted = '';
  if (products?.length === 1) {
    wanted = ',\n          wanted as (select ?::bigint as product_id)';
    bindings.push(products[0]!);
  } else if (products !== undefined) {
    wanted = ',\n          wanted as (select unnest(?::bigint[]) as product_id)';
    bindings.push(bigintArray(products));
  }
  const where: string[] = [];
  if (options.pairs !== undefined) {
    wanted += ',\n          pairs as (select unnest(?::bigint[]) as store_id, unnest(?::bigint[]) as product_id)';
    bindings.push(bigintArray(options.pairs.map(([store]) => store)), bigintArray(options.pairs.map(([, product]) => product)));
    where.push('(r.store_id, r.product_id) in (select store_id, product_id from pairs)');
  }
  if (options.after !== undefined) {
    where.push('(r.store_id, r.product_id) > (?::bigint, ?::bigint)');
    bindings.push(options.after[0], options.after[1]);
  }
  if (options.scrapedSince !== undefined) {
    where.push('r.scraped_date >= ?::date');
    bindings.push(options.scrapedSince);
  }
  if (options.limit !== undefined) bindings.push(options.limit);
  return knex.raw(
    `with map as (select unnest(?::bigint[]) as store_id, unnest(?::bigint[]) as pricing_store_id),
          pending as (select * from ${pending})${wanted}
     select p.id, r.store_id::bigint as store_id, p.product_id, p.price::text as price, p.was_price::text as was_price, p.is_on_special,
            p.unit_price::text as unit_price, p.unit, p.is_available, to_char(r.scraped_date, 'YYYY-MM-DD') as scraped_date,
            r.source_store_id, r.estimate${
              options.withStores
                ? `, sc.name as store_company, ss.store_id as store_code, ss.name as store_name, ss.state as store_state, ss.postcode as store_postcode`
                : ''
            }
     from (${readRowsSql('pending', products === undefined ? undefined : 'wanted')}) r join prices p on p.id = r.price_id${
       options.withStores ? ` join stores ss on ss.id = r.store_id join companies sc on sc.id = ss.company_id` : ''
     }${where.length === 0 ? '' : `\n     where ${where.join(' and ')}`}
     order by r.store_id, r.product_id${options.limit === undefined ? '' : '\n     limit ?'}`,
    bindings,
  );
}

/** One row of {@link resolvedPricesQuery} as a {@link ResolvedPrice}. */
export function toResolvedPrice(r: Record<string, unknown>): ResolvedPrice {
  return {
    storeId: Number(r.store_id),
    productId: Number(r.product_id),
    price: String(r.price),
    wasPrice: r.was_price === null ? null : String(r.was_price),
    isOnSpecial: r.is_on_special === true,
    unitPrice: r.unit_price === null ? null : String(r.unit_price),
    unit: (r.unit as string | null) ?? null,
    isAvailable: (r.is_available as boolean | null) ?? null,
    scrapedDate: String(r.scraped_date),
    sourceStoreId: Number(r.source_store_id),
    estimate: r.estimate === true,
  };
}

/** The resolved prices of `storeIds` through `resolver`, ordered by store and product. */
export async function resolvedPrices(knex: Knex, resolver: PricingStoreResolver, storeIds: readonly StoreId[], options: { productIds?: readonly ProductId[] } = {}): Promise<ResolvedPrice[]> {
  if (storeIds.length === 0) return [];
  const mapping = await resolver.pricingStoreOf(storeIds);
  const result = await resolvedPricesQuery(knex, mapping, options);
  return (result as { rows: Array<Record<string, unknown>> }).rows.map(toResolvedPrice);
}
