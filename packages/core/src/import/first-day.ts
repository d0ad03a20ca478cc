/**
 * A store's first day (docs/import.md "A store's first day"): a store that reads no price row, has
 * no history and is no other store's source has nothing its file could be compared with. Its lines
 * are not staged: once the batch's catalogue is merged, the first line of each product goes straight
 * into `prices` (COPY on a server), the database copies those rows into `price_history` as their
 * first events, and the store's digest entries are put together here. The rows stored are those the
 * comparing path would store.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { rawHashOf, type Columns, type Loader, type StagedLine } from './staging.js';
import { catalogueFacts, type UnchangedEntry } from './store-digest.js';

type Rows<T> = { rows: T[] };

/** The stores of `storeIds` on their first day: no price row read, no history, nobody's source. */
export async function firstDayStores(trx: Knex.Transaction, storeIds: readonly number[]): Promise<Set<number>> {
  if (storeIds.length === 0) return new Set();
  const result = (await trx.raw(
    `select x.id from unnest(?::bigint[]) as x(id)
     where not exists (select 1 from prices p where p.store_id = x.id)
       and not exists (select 1 from price_sharing s where s.store_id = x.id or s.source_store_id = x.id)
       and not exists (select 1 from price_history h where h.store_id = x.id)
       and not exists (select 1 from history_periods hp where hp.store_id = x.id or hp.source_store_id = x.id)`,
    [bigintArray(storeIds)],
  )) as Rows<{ id: string | number }>;
  return new Set(result.rows.map((r) => Number(r.id)));
}

/** A product's first line in a first-day file, and the product it resolved to. */
interface FirstRow {
  readonly line: StagedLine;
  readonly productId: number;
}

const PRICE_COLUMNS: Columns<FirstRow> = [
  ['store_id', 'bigint', (r) => r.line.file.storeId],
  ['product_id', 'bigint', (r) => r.productId],
  ['price', 'numeric(10,2)', (r) => r.line.row.price],
  ['was_price', 'numeric(10,2)', (r) => r.line.row.wasPrice],
  ['is_on_special', 'boolean', (r) => r.line.row.isOnSpecial],
  ['unit_price', 'numeric(14,4)', (r) => r.line.row.unitPrice],
  ['unit', 'text', (r) => r.line.row.unit],
  ['is_available', 'boolean', (r) => r.line.row.isAvailable],
  ['scraped_date', 'date', (r) => r.line.file.scrapedDate],
];

export interface FirstDays {
  /** Per store, the products its file priced (each written as a price row and a first event). */
  readonly kept: Map<number, number>;
  /** The stores' digest entries (their facts resolved here), for lines that carry a hash. */
  readonly entries: UnchangedEntry[];
}

/**
 * Writes the first-day lines of a batch whose catalogue is merged: per file, the first line of each
 * product (duplicates keep the first, as the comparing path does).
 */
export async function writeFirstDays(trx: Knex.Transaction, lines: readonly StagedLine[], load: Loader): Promise<FirstDays> {
  const kept = new Map<number, number>();
  const entries: UnchangedEntry[] = [];
  if (lines.length === 0) return { kept, entries };
  const facts = await catalogueFacts(trx, [...new Set(lines.map((l) => l.catNo))]);
  const rows: FirstRow[] = [];
  const seen = new Map<number, Set<number>>();
  for (const line of lines) {
    const fact = facts.get(line.catNo)!;
    const productId = fact.productId;
    let products = seen.get(line.file.fileNo);
    if (!products) seen.set(line.file.fileNo, (products = new Set()));
    if (products.has(productId)) continue;
    products.add(productId);
    rows.push({ line, productId });
    kept.set(line.file.storeId, (kept.get(line.file.storeId) ?? 0) + 1);
    if (line.hash === null) continue;
    entries.push({ file: line.file, catNo: null, productId, hash: line.hash, raw: fact.keepsRaw ? rawHashOf(line.file, line.index) : null, categoryId: fact.categoryId });
  }
  await load('prices', PRICE_COLUMNS, rows);
  // The first events are the rows just written, copied by the database (no second stream of text).
  await trx.raw(
    `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
     select store_id, product_id, price, was_price, is_on_special, scraped_date from prices where store_id = any(?::bigint[])`,
    [bigintArray([...kept.keys()])],
  );
  return { kept, entries };
}
