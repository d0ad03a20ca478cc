/**
 * The pages of the export API: each one query that reads only its page (keyset on a unique key),
 * so an export of millions of rows costs one index range scan per page.
 */
import type { Knex } from 'knex';
import type { StoreId } from '../extensions/api.js';
import type { ResolvedPrice } from '../prices/resolved.js';
import type { Key } from './pagination.js';

export interface Page<T> {
  readonly items: T[];
  /** The key of the last item when more may follow; undefined at the end. */
  readonly last?: Key;
}

export interface ExportProduct {
  readonly id: number;
  readonly nnbs: string;
  readonly name: string;
  readonly brand: string | null;
  readonly barcode: string | null;
  readonly sizes: string[];
}

/** A price row as exported: what a store reads ({@link ResolvedPrice}) and the row's id. */
export interface ExportPrice extends ResolvedPrice {
  /** The price row's id (for a read by store: the row the store reads, possibly its anchor's). */
  readonly id: number;
}

const ids = (values: Iterable<number>) => `{${[...values].join(',')}}`;

export async function productsPage(knex: Knex, after: Key | undefined, limit: number): Promise<Page<ExportProduct>> {
  const rows = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select p.id, p.nnbs, p.name, b.name as brand, p.barcode, p.sizes
     from products p left join brands b on b.id = p.brand_id
     where p.id > ? order by p.id limit ?`,
    [after?.[0] ?? 0, limit + 1],
  );
  const items = rows.rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    nnbs: String(r.nnbs),
    name: String(r.name),
    brand: (r.brand as string | null) ?? null,
    barcode: (r.barcode as string | null) ?? null,
    sizes: r.sizes as string[],
  }));
  return rows.rows.length > limit ? { items, last: [items[items.length - 1]!.id] } : { items };
}

const PRICE_COLUMNS = `p.id, p.product_id, p.price::text as price, p.was_price::text as was_price, p.is_on_special, p.unit_price::text as unit_price, p.unit, p.is_available, to_char(p.scraped_date, 'YYYY-MM-DD') as scraped_date`;

/** Every stored price row, by id. */
export async function storedPricesPage(knex: Knex, options: { scrapedSince?: string | undefined; after: Key | undefined; limit: number }): Promise<Page<ExportPrice>> {
  const rows = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select ${PRICE_COLUMNS}, p.store_id, p.store_id as source_store_id from prices p
     where p.id > ? and (?::date is null or p.scraped_date >= ?::date)
     order by p.id limit ?`,
    [options.after?.[0] ?? 0, options.scrapedSince ?? null, options.scrapedSince ?? null, options.limit + 1],
  );
  const items = rows.rows.slice(0, options.limit).map(toPrice);
  return rows.rows.length > options.limit ? { items, last: [items[items.length - 1]!.id] } : { items };
}

/**
 * The resolved prices of some stores (SPEC §7 Reads: the store's own row, else its pricing store's),
 * keyed by (store, product): a row of an anchor appears once for every store that reads it.
 */
export async function resolvedPricesPage(
  knex: Knex,
  mapping: ReadonlyMap<StoreId, StoreId>,
  options: { scrapedSince?: string | undefined; after: Key | undefined; limit: number },
): Promise<Page<ExportPrice>> {
  const stores = [...mapping.keys()].sort((a, b) => a - b);
  const afterStore = options.after?.[0] ?? 0;
  const afterProduct = options.after?.[1] ?? 0;
  const rows = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `with map as (select unnest(?::bigint[]) as store_id, unnest(?::bigint[]) as pricing_store_id),
          pending as (select * from map where store_id >= ?)
     select ${PRICE_COLUMNS}, r.store_id, p.store_id as source_store_id
     from (
       select m.store_id, o.id as price_id, o.product_id from pending m join prices o on o.store_id = m.store_id
       union all
       select m.store_id, a.id, a.product_id from pending m join prices a on a.store_id = m.pricing_store_id
       where m.pricing_store_id <> m.store_id
         and not exists (select 1 from prices o where o.store_id = m.store_id and o.product_id = a.product_id)
     ) r join prices p on p.id = r.price_id
     where (r.store_id, r.product_id) > (?::bigint, ?::bigint) and (?::date is null or p.scraped_date >= ?::date)
     order by r.store_id, r.product_id limit ?`,
    [ids(stores), ids(stores.map((s) => mapping.get(s) ?? s)), afterStore, afterStore, afterProduct, options.scrapedSince ?? null, options.scrapedSince ?? null, options.limit + 1],
  );
  const items = rows.rows.slice(0, options.limit).map(toPrice);
  const last = items[items.length - 1];
  return rows.rows.length > options.limit && last ? { items, last: [last.storeId, last.productId] } : { items };
}

function toPrice(r: Record<string, unknown>): ExportPrice {
  return {
    id: Number(r.id),
    storeId: Number(r.store_id),
    productId: Number(r.product_id),
    price: String(r.price),
    wasPrice: (r.was_price as string | null) ?? null,
    isOnSpecial: r.is_on_special === true,
    unitPrice: (r.unit_price as string | null) ?? null,
    unit: (r.unit as string | null) ?? null,
    isAvailable: (r.is_available as boolean | null) ?? null,
    scrapedDate: String(r.scraped_date),
    sourceStoreId: Number(r.source_store_id),
  };
}
