/**
 * Writes the store registry: stores (company + store id, created if new, else their location
 * updated) and postcodes, in one transaction each, set-based (a statement per chunk of rows).
 */
import type { Knex } from 'knex';
import { inTransaction } from '../db/transaction.js';
import { titleCase } from '../import/store-resolution.js';
import type { PostcodeLine, StoreLine } from './store-lines.js';

const CHUNK = 5_000;

export interface StoreImportReport {
  readonly stores: number;
  readonly inserted: number;
  readonly updated: number;
  readonly withCoordinates: number;
  readonly companies: Readonly<Record<string, number>>;
  readonly dryRun: boolean;
}

export async function importStores(knex: Knex, lines: readonly StoreLine[], options: { dryRun?: boolean } = {}): Promise<StoreImportReport> {
  // The last line of a store wins (a list scraped over a grid names stores more than once).
  const byKey = new Map(lines.map((line) => [`${line.company}\u0000${line.store_id}`, line]));
  const rows = [...byKey.values()];
  let inserted = 0;
  await inTransaction(knex, options.dryRun === true, async (trx) => {
    for (let from = 0; from < rows.length; from += CHUNK) {
      const chunk = JSON.stringify(rows.slice(from, from + CHUNK).map((r) => ({ ...r, display: titleCase(r.company), state: r.state?.toLowerCase() ?? null })));
      await trx.raw(
        `insert into companies (name, display_name)
         select distinct on (company) company, display from jsonb_to_recordset(?::jsonb) as x(company text, display text)
         order by company
         on conflict (name) do nothing`,
        [chunk],
      );
      const result = await trx.raw<{ rows: Array<{ inserted: boolean }> }>(
        `insert into stores (company_id, store_id, name, suburb, state, postcode, latitude, longitude)
         select c.id, x.store_id, x.name, x.suburb, x.state, x.postcode, x.latitude, x.longitude
         from jsonb_to_recordset(?::jsonb) as x(company text, store_id text, name text, suburb text, state text, postcode text, latitude double precision, longitude double precision)
         join companies c on c.name = x.company
         order by c.id, x.store_id
         on conflict (company_id, store_id) do update set
           name = coalesce(excluded.name, stores.name), suburb = coalesce(excluded.suburb, stores.suburb),
           state = coalesce(excluded.state, stores.state), postcode = coalesce(excluded.postcode, stores.postcode),
           latitude = coalesce(excluded.latitude, stores.latitude), longitude = coalesce(excluded.longitude, stores.longitude)
         returning (xmax = 0) as inserted`,
        [chunk],
      );
      inserted += result.rows.filter((r) => r.inserted).length;
    }
  });
  const companies: Record<string, number> = {};
  for (const row of rows) companies[row.company] = (companies[row.company] ?? 0) + 1;
  return { stores: rows.length, inserted, updated: rows.length - inserted, withCoordinates: rows.filter((r) => r.latitude !== null).length, companies, dryRun: options.dryRun === true };
}

export interface PostcodeImportReport {
  readonly postcodes: number;
  readonly dryRun: boolean;
}

export async function importPostcodes(knex: Knex, lines: readonly PostcodeLine[], options: { dryRun?: boolean } = {}): Promise<PostcodeImportReport> {
  const rows = [...new Map(lines.map((line) => [line.postcode, line])).values()];
  await inTransaction(knex, options.dryRun === true, async (trx) => {
    for (let from = 0; from < rows.length; from += CHUNK) {
      await trx.raw(
        `insert into postcodes (postcode, state, latitude, longitude)
         select postcode, state, latitude, longitude from jsonb_to_recordset(?::jsonb) as x(postcode text, state text, latitude double precision, longitude double precision)
         order by postcode
         on conflict (postcode) do update set state = excluded.state, latitude = excluded.latitude, longitude = excluded.longitude`,
        [JSON.stringify(rows.slice(from, from + CHUNK))],
      );
    }
  });
  return { postcodes: rows.length, dryRun: options.dryRun === true };
}
