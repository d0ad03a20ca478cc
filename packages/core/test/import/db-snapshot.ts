/** A fingerprint of every domain table, to show that a failed import changed nothing. */
import type { Knex } from 'knex';

const TABLES = ['companies', 'stores', 'brands', 'brand_spellings', 'products', 'product_names', 'product_skus', 'categories', 'product_categories', 'prices', 'price_history'];

export async function snapshot(knex: Knex): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const row = await knex.raw<{ rows: Array<{ n: number; digest: string | null }> }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`,
    );
    result[table] = `${row.rows[0]!.n}:${row.rows[0]!.digest}`;
  }
  return result;
}
