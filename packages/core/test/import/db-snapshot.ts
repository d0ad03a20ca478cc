/** A fingerprint of every domain table, to show that a failed import changed nothing. */
import type { Knex } from 'knex';

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
export async function allTables(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ name: string }> }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'trolley\\_migrations%' and table_name not like 'knex\\_%'
     order by 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * Everything an import stored, by natural keys rather than ids (ids and timestamps differ with
 * the order of work; what was stored must not).
 */
export async function content(knex: Knex): Promise<unknown[]> {
  const queries = [
    `select c.name, s.store_id, s.name, s.state, s.last_scraped_date::text from stores s join companies c on c.id = s.company_id order by 1, 2`,
    `select b.key, b.name, array_agg(x.spelling order by x.spelling) from brands b left join brand_spellings x on x.brand_id = b.id group by b.id order by 1`,
    `select p.nnbs, p.barcode, p.name, b.key, p.sizes from products p left join brands b on b.id = p.brand_id order by 1`,
    `select p.nnbs, n.name, n.brand from product_names n join products p on p.id = n.product_id order by 1, 2, 3`,
    `select c.name, k.sku, p.nnbs from product_skus k join companies c on c.id = k.company_id join products p on p.id = k.product_id order by 1, 2`,
    `select c.path, parent.path from categories c left join categories parent on parent.id = c.parent_id order by 1`,
    `select p.nnbs, c.path from product_categories x join products p on p.id = x.product_id join categories c on c.id = x.category_id order by 1, 2`,
    `select s.store_id, p.nnbs, x.price::text, x.was_price::text, x.is_on_special, x.unit_price::text, x.unit, x.is_available, x.scraped_date::text from prices x join stores s on s.id = x.store_id join products p on p.id = x.product_id order by 1, 2`,
    `select s.store_id, p.nnbs, h.price::text, h.was_price::text, h.is_on_special, h.scraped_date::text from price_history h join stores s on s.id = h.store_id join products p on p.id = h.product_id order by 1, 2, 6`,
    `select s.store_id, f.scraped_date::text, f.file_name, f.bytes::text, f.records from imported_files f join stores s on s.id = f.store_id order by 1, 2`,
  ];
  const results = [];
  for (const sql of queries) results.push((await knex.raw(sql)).rows);
  return results;
}
