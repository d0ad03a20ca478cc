/** A fingerprint of every domain table, to show that a failed import changed nothing. */
import type { Knex } from 'knex';
import { naturalRows, schemaTables } from '../../src/testing/fingerprint.js';

const TABLES = ['companies', 'stores', 'imported_files', 'brands', 'brand_spellings', 'products', 'product_names', 'product_skus', 'categories', 'product_categories', 'prices', 'price_history'];

export async function snapshot(knex: Knex, tables: readonly string[] = TABLES): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const row = await knex.raw<{ rows: Array<{ n: number; digest: string | null }> }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`,
    );
    result[table] = `${row.rows[0]!.n}:${row.rows[0]!.digest}`;
  }
  return result;
}

/** Every table of the schema in use (the core's and the plugins'), migration bookkeeping aside. */
export const allTables = schemaTables;

/**
 * Everything an import stored, table by table, by natural keys rather than ids (ids and timestamps
 * differ with the order of work; what was stored must not): the rows the fingerprint hashes.
 */
export async function content(knex: Knex): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of await schemaTables(knex)) result[table] = await naturalRows(knex, table);
  return result;
}
