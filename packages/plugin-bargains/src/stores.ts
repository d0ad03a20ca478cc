/** Finds stores by their own id (as scraped), within a company when given. */
import type { Knex } from 'knex';
import { InputError } from '@trolley/core';
import { text } from './messages.js';

export interface FoundStore {
  readonly id: number;
  readonly company: string;
  readonly store: string;
}

export async function findStores(knex: Knex, storeIds: readonly string[], company: string | undefined): Promise<FoundStore[]> {
  const found: FoundStore[] = [];
  for (const storeId of storeIds) {
    const rows = await knex('stores as s')
      .join('companies as c', 'c.id', 's.company_id')
      .where('s.store_id', storeId)
      .modify((q) => (company === undefined ? q : q.where('c.name', company)))
      .select<Array<{ id: number | string; company: string; store: string }>>('s.id', 'c.name as company', 's.store_id as store');
    if (rows.length === 0) throw new InputError(text.unknownStore(storeId, company), 'unknown-store');
    if (rows.length > 1) throw new InputError(text.ambiguousStore(storeId, rows.map((r) => r.company)), 'ambiguous-store');
    found.push({ id: Number(rows[0]!.id), company: rows[0]!.company, store: rows[0]!.store });
  }
  return found;
}
