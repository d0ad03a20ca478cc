/**
 * The pages of the export API: each one query that reads only its page (keyset on a unique key),
 * so an export of millions of rows costs one index range scan per page.
 */
import type { Knex } from 'knex';
import type { StoreId } from '../extensions/api.js';
import { resolvedPricesQuery, toResolvedPrice, type ResolvedPrice } from '../prices/resolved.js';
import { OWN_PRICE_ROWS } from '../prices/shared-rows.js';
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
    `select ${PRICE_COLUMNS}, p.store_id, p.store_id as source_store_id from ${OWN_PRICE_ROWS} p
     where p.id > ? and (?::date is null or p.scraped_date >= ?::date)
     order by p.id limit ?`,
    [options.after?.[0] ?? 0, options.scrapedSince ?? null, options.scrapedSince ?? null, options.limit + 1],
  );
  const items = rows.rows.slice(0, options.limit).map(toPrice);
  return rows.rows.length > options.limit ? { items, last: [items[items.length - 1]!.id] } : { items };
}

/**
 * The resolved prices of some stores (docs/groups.md Reads: the store's own row, else its pricing store's),
 * keyed by (store, product): a row of an anchor appears once for every store that reads it.
 */
export async function resolvedPricesPage(
  knex: Knex,
  mapping: ReadonlyMap<StoreId, StoreId>,
  options: { scrapedSince?: string | undefined; after: Key | undefined; limit: number },
): Promise<Page<ExportPrice>> {
  const after = options.after ? ([options.after[0]!, options.after[1]!] as const) : undefined;
  const { rows } = (await resolvedPricesQuery(knex, mapping, { scrapedSince: options.scrapedSince, after, limit: options.limit + 1 })) as unknown as { rows: Array<Record<string, unknown>> };
  const items = rows.slice(0, options.limit).map(toPrice);
  const last = items[items.length - 1];
  return rows.length > options.limit && last ? { items, last: [last.storeId, last.productId] } : { items };
}

function toPrice(r: Record<string, unknown>): ExportPrice {
  return { ...toResolvedPrice(r), id: Number(r.id) };
}
