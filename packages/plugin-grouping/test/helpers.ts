/** Shared set-up for the grouping tests: a migrated database and small synthetic price lists. */
import type { Knex } from 'knex';
import { pino } from 'pino';
import { migrationsWith, testDatabase, type Teardown } from '@trolley/core/testing';
import type { RetentionPolicy } from '@trolley/core';
import { groupingMigrations } from '../src/migrations.js';
import { maintainGroups, type MaintainOptions } from '../src/maintain.js';
import { losslessPolicy } from '../src/retention-policies.js';
import { GroupsResolver } from '../src/groups-resolver.js';

/** Trimmed copies of real scrape files (core's test/fixtures/real/README.md), laid out as the full folder. */
export { REAL_FIXTURES as REAL } from '@trolley/core/testing';
export const silent = pino({ level: 'silent' });

export async function groupingDatabase(t: Teardown): Promise<Knex> {
  const { knex } = await testDatabase(t, { migrations: migrationsWith({ '@trolley/plugin-grouping': groupingMigrations }) });
  return knex;
}

export async function company(knex: Knex, name: string): Promise<number> {
  const [row] = await knex('companies').insert({ name, display_name: name }).returning('id');
  return Number(row.id);
}

/** A store with prices for products `first..first+count-1`: price = base(product) unless `priceOf` says otherwise. */
export async function store(
  knex: Knex,
  companyId: number,
  code: string,
  options: { scraped?: string | null; products?: number; first?: number; priceOf?: (product: number) => number } = {},
): Promise<number> {
  const scraped = options.scraped === undefined ? '2026-01-31' : options.scraped;
  const [row] = await knex('stores').insert({ company_id: companyId, store_id: code, name: code.toLowerCase(), last_scraped_date: scraped }).returning('id');
  const id = Number(row.id);
  if (scraped !== null) await setPrices(knex, id, scraped, options);
  return id;
}

export const basePrice = (product: number) => 1 + (product % 97) / 10;

/** Replaces a store's price rows as a full-sync import would, and dates its scrape. */
export async function setPrices(knex: Knex, storeId: number, scraped: string, options: { products?: number; first?: number; priceOf?: (product: number) => number } = {}): Promise<void> {
  const first = options.first ?? 1;
  const count = options.products ?? 100;
  const priceOf = options.priceOf ?? basePrice;
  await knex('prices').where({ store_id: storeId }).delete();
  // A full sync gives the store every row it reads: it shares nothing afterwards.
  await knex('price_sharing').where({ store_id: storeId }).delete();
  await knex('price_exclusions').where({ store_id: storeId }).delete();
  const rows = Array.from({ length: count }, (_, i) => ({
    store_id: storeId,
    product_id: first + i,
    price: priceOf(first + i).toFixed(2),
    was_price: null,
    is_on_special: false,
    unit_price: null,
    unit: null,
    is_available: true,
    scraped_date: scraped,
  }));
  await knex.batchInsert('prices', rows, 500);
  await knex('stores').where({ id: storeId }).update({ last_scraped_date: scraped });
}

export function maintain(knex: Knex, options: Partial<MaintainOptions> = {}) {
  return maintainGroups(knex, { freshnessDays: 3, minOverlap: 50, policy: losslessPolicy as RetentionPolicy, dryRun: false, now: new Date('2026-02-01T00:00:00Z'), logger: silent, ...options });
}

/** Groups as sorted lists of store ids, sorted: easy to compare. */
export async function partition(knex: Knex): Promise<number[][]> {
  const rows = (await knex.raw('select group_id, array_agg(store_id::int order by store_id) as stores from store_group_members group by group_id')).rows as Array<{ stores: number[] | string }>;
  return rows
    .map((r) => (Array.isArray(r.stores) ? r.stores.map(Number) : String(r.stores).replace(/[{}]/g, '').split(',').map(Number)))
    .sort((a, b) => a[0]! - b[0]!);
}

export const resolver = (knex: Knex) => new GroupsResolver(async () => knex);

/** Every price row of the database, keyed `store:product`, without ids. */
export async function priceRows(knex: Knex): Promise<Map<string, string>> {
  const rows = (await knex.raw(`select store_id, product_id, price::text, was_price::text, is_on_special, unit_price::text, unit, is_available from prices`)).rows as Array<Record<string, unknown>>;
  return new Map(rows.map((r) => [`${Number(r.store_id)}:${Number(r.product_id)}`, [r.price, r.was_price, r.is_on_special, r.unit_price, r.unit, r.is_available].join('|')]));
}
