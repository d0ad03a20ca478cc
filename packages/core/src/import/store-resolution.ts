/**
 * Company and store of a file (SPEC §3 step 2): created when new, the store row locked for the
 * rest of the transaction so that two imports of one store cannot interleave.
 */
import type { Knex } from 'knex';
import type { StoreRef } from './scrape-record.js';

export interface ResolvedStore {
  readonly companyId: number;
  readonly storeId: number;
  /** The scraped date of the last file imported for this store, `YYYY-MM-DD`, or null. */
  readonly lastScrapedDate: string | null;
}

export async function resolveStore(trx: Knex.Transaction, ref: StoreRef, companyDisplayName?: string): Promise<ResolvedStore> {
  await trx.raw('insert into companies (name, display_name) values (?, ?) on conflict (name) do nothing', [ref.company, companyDisplayName ?? titleCase(ref.company)]);
  const company = await trx('companies').where({ name: ref.company }).first<{ id: number | string }>('id');
  const companyId = Number(company!.id);
  await trx.raw('insert into stores (company_id, store_id, name, state) values (?, ?, ?, ?) on conflict (company_id, store_id) do nothing', [
    companyId,
    ref.storeId,
    ref.storeName,
    ref.state,
  ]);
  const store = await trx.raw<{ rows: Array<{ id: number | string; last: string | null }> }>(
    `select id, to_char(last_scraped_date, 'YYYY-MM-DD') as last from stores where company_id = ? and store_id = ? for update`,
    [companyId, ref.storeId],
  );
  const row = store.rows[0]!;
  return { companyId, storeId: Number(row.id), lastScrapedDate: row.last };
}

export async function markImported(trx: Knex.Transaction, store: ResolvedStore, ref: StoreRef, scrapedDate: string): Promise<void> {
  await trx.raw('update stores set last_scraped_date = ?, name = coalesce(?, name), state = coalesce(?, state) where id = ?', [scrapedDate, ref.storeName, ref.state, store.storeId]);
}

function titleCase(name: string): string {
  return name.length <= 3 ? name.toUpperCase() : name.charAt(0).toUpperCase() + name.slice(1);
}
