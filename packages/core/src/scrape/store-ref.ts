/**
 * The store a listing scrape is for, as its records name it: the company's store id, a name and a
 * state. Flags win; otherwise the store registry (`stores import`, `scrape stores`, earlier
 * imports) when the database knows the store; otherwise `<company> store <id>` and no state.
 */
import type { Knex } from 'knex';
import type { StoreRef } from './scrape-store.js';

export interface KnownStore {
  readonly name: string | null;
  readonly state: string | null;
}

export async function registryStore(knex: Knex, company: string, storeId: string): Promise<KnownStore | undefined> {
  const found = await knex.raw<{ rows: KnownStore[] }>(
    `select s.name, s.state from stores s join companies c on c.id = s.company_id where c.name = lower(?) and s.store_id = ?`,
    [company, storeId.trim()],
  );
  return found.rows[0];
}

export function storeRefFor(company: string, storeId: string, given: { name?: string | undefined; state?: string | undefined }, known?: KnownStore): StoreRef {
  const id = storeId.trim();
  return {
    company,
    storeId: id,
    storeName: (given.name?.trim() || known?.name?.trim() || `${company} store ${id}`).toLowerCase(),
    state: given.state?.trim().toLowerCase() || known?.state?.toLowerCase() || null,
  };
}
