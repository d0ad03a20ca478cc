/**
 * Companies and stores of a batch of files (docs/import.md step 2): created when new, the store rows
 * locked (in id order, so two concurrent batches cannot deadlock on them) for the rest of the
 * transaction, so that two imports of one store cannot interleave.
 */
import type { Knex } from 'knex';
import type { StoreRef } from './scrape-record.js';

export interface ResolvedStore {
  readonly companyId: number;
  readonly storeId: number;
  /** The scraped date of the last file imported for this store, `YYYY-MM-DD`, or null. */
  readonly lastScrapedDate: string | null;
}

/** Resolves every ref (refs of one batch name different stores); the result is in the refs' order. */
export async function resolveStores(trx: Knex.Transaction, refs: readonly StoreRef[]): Promise<ResolvedStore[]> {
  const records = JSON.stringify(refs.map((r) => ({ company: r.company, display: titleCase(r.company), store_id: r.storeId, name: r.storeName, state: r.state })));
  await trx.raw(
    `insert into companies (name, display_name)
     select distinct on (company) company, display from jsonb_to_recordset(?::jsonb) as x(company text, display text)
     order by company
     on conflict (name) do nothing`,
    [records],
  );
  await trx.raw(
    `insert into stores (company_id, store_id, name, state)
     select c.id, x.store_id, x.name, x.state
     from jsonb_to_recordset(?::jsonb) as x(company text, store_id text, name text, state text) join companies c on c.name = x.company
     order by c.id, x.store_id
     on conflict (company_id, store_id) do nothing`,
    [records],
  );
  const found = await trx.raw<{ rows: Array<{ company: string; store_id: string; company_id: number | string; id: number | string; last: string | null }> }>(
    `select c.name as company, s.store_id, s.company_id, s.id, to_char(s.last_scraped_date, 'YYYY-MM-DD') as last
     from stores s join companies c on c.id = s.company_id
     join jsonb_to_recordset(?::jsonb) as x(company text, store_id text) on x.company = c.name and x.store_id = s.store_id
     order by s.id
     for update of s`,
    [records],
  );
  const byRef = new Map(found.rows.map((r) => [refKey(r.company, r.store_id), r]));
  return refs.map((ref) => {
    const row = byRef.get(refKey(ref.company, ref.storeId))!;
    return { companyId: Number(row.company_id), storeId: Number(row.id), lastScrapedDate: row.last };
  });
}

export interface ImportedStore {
  readonly store: ResolvedStore;
  readonly ref: StoreRef;
  readonly scrapedDate: string;
  /** The file was a full sync: every row of the store it left alone reads as of its date. */
  readonly fullSync: boolean;
}

/** Records each store's new last import date (and full-sync date), and the name and state its file gave. */
export async function markImported(trx: Knex.Transaction, imported: readonly ImportedStore[]): Promise<void> {
  if (imported.length === 0) return;
  await trx.raw(
    `update stores s set last_scraped_date = x.scraped_date, name = coalesce(x.name, s.name), state = coalesce(x.state, s.state),
            full_scraped_date = case when x.full_sync then x.scraped_date else s.full_scraped_date end
     from jsonb_to_recordset(?::jsonb) as x(id bigint, scraped_date date, name text, state text, full_sync boolean)
     where s.id = x.id`,
    [JSON.stringify(imported.map((i) => ({ id: i.store.storeId, scraped_date: i.scrapedDate, name: i.ref.storeName, state: i.ref.state, full_sync: i.fullSync })))],
  );
}

/** A store as a map key: its company and its id in that company. */
export function refKey(company: string, storeId: string): string {
  return `${company}\u0000${storeId}`;
}

export function titleCase(name: string): string {
  return name.length <= 3 ? name.toUpperCase() : name.charAt(0).toUpperCase() + name.slice(1);
}
