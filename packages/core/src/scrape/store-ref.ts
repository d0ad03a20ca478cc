/**
 * The store a listing scrape is for, as its records name it: the company's store id (in the form
 * its scraper calls canonical, the form of the store registry), a name and a state. Flags win;
 * otherwise the store registry (`stores import`, `scrape stores`, earlier imports) when the
 * database knows the store; otherwise `<company> store <id>` and no state.
 */
import type { Knex } from 'knex';
import { UsageError } from '../errors.js';
import type { Scraper } from '../extensions/api.js';
import type { StoreRef } from './scrape-store.js';

/** `--store` as the registry and record files hold it (Coles' `0584` → `COL:584`); as given when the scraper has one form. */
export function canonicalStoreId(scraper: Pick<Scraper, 'company' | 'storeId'>, given: string): string {
  const id = given.trim();
  if (!scraper.storeId) return id;
  const canonical = scraper.storeId(id);
  if (canonical === undefined) {
    throw new UsageError(`--store ${id} is not a ${scraper.company} store id; trolley stores list --company ${scraper.company} shows the ids of the stores the registry knows.`, 'bad-store-id');
  }
  return canonical;
}

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
