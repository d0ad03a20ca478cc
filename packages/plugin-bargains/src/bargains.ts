/**
 * Bargains (docs/bargains.md): computed in one set-based statement over the current prices of the pricing
 * stores (window functions rank each product's prices), then written over the previous set as a
 * diff in one transaction: bargains that are gone or changed are deleted, new and changed ones
 * inserted, unchanged rows left alone (their `generated_at` says since when they have stood).
 * Readers see the old bargains or the new ones, never none; a run over unchanged prices changes
 * no row.
 */
import type { DependencyContainer } from 'tsyringe';
import type { Knex } from 'knex';
import { bigintArray, inTransaction, OWN_PRICE_ROWS, pricingStoreResolver, type ExtensionRegistry } from '@trolley/core';
import type { BargainRule } from './bargain-rule.js';

export interface BargainsReport {
  /** The reference date the window ends at, or null when no pricing store has prices. */
  readonly asOf: string | null;
  /** Prices scraped on this date or later competed. */
  readonly since: string | null;
  readonly pricingStores: number;
  readonly competingPrices: number;
  readonly productsCompared: number;
  readonly bargains: number;
  /** Bargains stored that were not there before (new products, or changed figures). */
  readonly inserted: number;
  /** Stored bargains that are gone or changed. */
  readonly deleted: number;
  readonly dryRun: boolean;
}

export interface Bargain {
  readonly productId: number;
  readonly product: string;
  readonly brand: string | null;
  readonly storeId: number;
  readonly company: string;
  readonly store: string;
  readonly storeName: string | null;
  readonly minPrice: string;
  readonly maxPrice: string;
  /** Percent below the dearest price, 1 decimal. */
  readonly discount: string;
  readonly prices: number;
  readonly companies: number;
}

/** The stores whose prices compete: every store that is its own pricing store (an anchor, or any store when stores are not grouped). */
export async function pricingStores(knex: Knex, registry: ExtensionRegistry, container: DependencyContainer): Promise<number[]> {
  const resolver = await pricingStoreResolver(registry, container);
  const stores = (await knex.raw<{ rows: Array<{ id: number | string }> }>('select id from stores order by id')).rows.map((r) => Number(r.id));
  const mapping = await resolver.pricingStoreOf(stores);
  return stores.filter((id) => (mapping.get(id) ?? id) === id);
}

export async function generateBargains(knex: Knex, stores: readonly number[], rule: BargainRule, options: { dryRun?: boolean } = {}): Promise<BargainsReport> {
  return inTransaction(knex, options.dryRun === true, async (trx) => {
    // The window functions sort every competing price by product: in memory, not on disk.
    await trx.raw(`set local work_mem = '256MB'`);
    const window = await trx.raw<{ rows: Array<{ as_of: string | null; since: string | null }> }>(
      `select to_char(d.as_of, 'YYYY-MM-DD') as as_of, to_char(d.as_of - ?::int, 'YYYY-MM-DD') as since
       from (select coalesce(?::date, (select max(last_scraped_date) from stores where id = any(?::bigint[]))) as as_of) d`,
      [rule.sinceDays, rule.asOf ?? null, bigintArray(stores)],
    );
    const { as_of: asOf, since } = window.rows[0]!;
    await trx.raw(
      `create temporary table bargains_next (product_id bigint primary key, store_id bigint not null, min_price numeric(10, 2) not null, max_price numeric(10, 2) not null,
         price_count int not null, company_count int not null, max_store_id bigint, scraped_date date) on commit drop`,
    );
    const counted = await trx.raw<{ rows: Array<{ prices: number; products: number; bargains: number }> }>(
      `with competing as (
         select p.product_id, p.store_id, p.price, p.scraped_date, s.company_id
         from ${OWN_PRICE_ROWS} p join stores s on s.id = p.store_id
         where p.store_id = any(?::bigint[]) and p.scraped_date >= ?::date and p.price > 0
       ),
       ranked as (
         select c.*,
                row_number() over by_price as cheapest,
                first_value(c.store_id) over (partition by c.product_id order by c.price desc, c.store_id) as max_store_id,
                min(c.price) over product as min_price, max(c.price) over product as max_price,
                count(*) over product as prices
         from competing c
         window product as (partition by c.product_id), by_price as (partition by c.product_id order by c.price, c.store_id)
       ),
       companies as (select product_id, count(distinct company_id)::int as companies from competing group by product_id),
       found as (
         select r.product_id, r.store_id, r.min_price, r.max_price, r.prices, k.companies, r.max_store_id, r.scraped_date
         from ranked r join companies k on k.product_id = r.product_id
         where r.cheapest = 1 and r.prices >= 2 and r.min_price > 0
           and r.max_price * ${rule.factor[0]} > r.min_price * ${rule.factor[1]}
           ${rule.cap ? `and r.max_price * ${rule.cap[0]} <= r.min_price * ${rule.cap[1]}` : ''}
           and k.companies >= ?
       ),
       written as (
         insert into bargains_next (product_id, store_id, min_price, max_price, price_count, company_count, max_store_id, scraped_date)
         select product_id, store_id, min_price, max_price, prices, companies, max_store_id, scraped_date from found
         returning 1
       )
       select (select count(*)::int from competing) as prices, (select count(distinct product_id)::int from competing) as products, (select count(*)::int from written) as bargains`,
      [bigintArray(stores), since ?? '-infinity', rule.minCompanies],
    );
    const { prices, products, bargains } = counted.rows[0]!;
    const deleted = await trx.raw<{ rowCount: number | null }>(
      `delete from bargains b
       where not exists (
         select 1 from bargains_next n
         where n.product_id = b.product_id and n.store_id = b.store_id and n.min_price = b.min_price and n.max_price = b.max_price
           and n.price_count = b.price_count and n.company_count = b.company_count
           and n.max_store_id is not distinct from b.max_store_id and n.scraped_date is not distinct from b.scraped_date)`,
    );
    // What is left of the old set is identical to the new one: insert the rest.
    const inserted = await trx.raw<{ rowCount: number | null }>(
      `insert into bargains (product_id, store_id, min_price, max_price, price_count, company_count, generated_at, max_store_id, scraped_date)
       select n.product_id, n.store_id, n.min_price, n.max_price, n.price_count, n.company_count, now(), n.max_store_id, n.scraped_date
       from bargains_next n
       where not exists (select 1 from bargains b where b.product_id = n.product_id)`,
    );
    return {
      asOf,
      since,
      pricingStores: stores.length,
      competingPrices: prices,
      productsCompared: products,
      bargains,
      inserted: inserted.rowCount ?? 0,
      deleted: deleted.rowCount ?? 0,
      dryRun: options.dryRun === true,
    };
  });
}

/** Stored bargains credited to `creditedStores` (all when undefined), best discount first. */
export async function listBargains(knex: Knex, options: { creditedStores?: readonly number[]; company?: string | undefined; limit: number }): Promise<Bargain[]> {
  const rows = await knex.raw<{ rows: Array<Record<string, string | number | null>> }>(
    `select b.product_id, p.name as product, br.name as brand, b.store_id, c.name as company, s.store_id as store, s.name as store_name,
            b.min_price::text as min_price, b.max_price::text as max_price,
            round(100 * (b.max_price - b.min_price) / b.max_price, 1)::text as discount, b.price_count, b.company_count
     from bargains b
     join products p on p.id = b.product_id left join brands br on br.id = p.brand_id
     join stores s on s.id = b.store_id join companies c on c.id = s.company_id
     where (?::bigint[] is null or b.store_id = any(?::bigint[])) and (?::text is null or c.name = ?)
     order by (b.max_price - b.min_price) / b.max_price desc, b.product_id
     limit ?`,
    [options.creditedStores ? bigintArray(options.creditedStores) : null, options.creditedStores ? bigintArray(options.creditedStores) : '{}', options.company ?? null, options.company ?? null, options.limit],
  );
  return rows.rows.map((r) => ({
    productId: Number(r.product_id),
    product: String(r.product),
    brand: r.brand === null ? null : String(r.brand),
    storeId: Number(r.store_id),
    company: String(r.company),
    store: String(r.store),
    storeName: r.store_name === null ? null : String(r.store_name),
    minPrice: String(r.min_price),
    maxPrice: String(r.max_price),
    discount: String(r.discount),
    prices: Number(r.price_count),
    companies: Number(r.company_count),
  }));
}
