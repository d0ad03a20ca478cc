/**
 * A fingerprint of everything stored, by natural keys rather than ids: a store is its company and
 * store id, a product its product key, a category its company and path. Ids, sequences and
 * timestamps depend on the order of work (a failed transaction still uses up ids), what was stored
 * must not; so two databases that hold the same facts have equal fingerprints however they got
 * there. Used by the chaos tests and `npm run bench -- chaos` to compare a run that was mutated,
 * killed or raced with a clean one.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

const STORE = `(select c.name || ':' || s.store_id from stores s join companies c on c.id = s.company_id where s.id = %)`;
const PRODUCT = `(select p.nnbs from products p where p.id = %)`;
const CATEGORY = `(select c.name || ':' || k.path from categories k join companies c on c.id = k.company_id where k.id = %)`;
const category = (column: string) => CATEGORY.replace('%', column);
const store = (column: string) => STORE.replace('%', column);
const product = (column: string) => PRODUCT.replace('%', column);

/** The product ids in `column` (a `bytea` of items of `size` bytes, each with an 8-byte id at `offset`). */
const digestProducts = (column: string, size: number, offset: number) =>
  `select ('x' || encode(substring(${column} from k * ${size} + ${offset + 1} for 8), 'hex'))::bit(64)::bigint from generate_series(0, length(${column}) / ${size} - 1) k`;

/** One query per table, each row in natural keys only. */
const NATURAL: Record<string, string> = {
  companies: `select name, display_name from companies`,
  stores: `select c.name, s.store_id, s.name, s.state, s.postcode, s.last_scraped_date::text from stores s join companies c on c.id = s.company_id`,
  brands: `select key, name from brands`,
  brand_spellings: `select b.key, x.spelling from brand_spellings x join brands b on b.id = x.brand_id`,
  products: `select p.nnbs, p.barcode, p.name, b.key, p.sizes from products p left join brands b on b.id = p.brand_id`,
  product_names: `select ${product('n.product_id')}, n.name, n.brand from product_names n`,
  product_skus: `select c.name, k.sku, ${product('k.product_id')} from product_skus k join companies c on c.id = k.company_id`,
  categories: `select c.name, x.path, x.name, x.depth, parent.path from categories x join companies c on c.id = x.company_id left join categories parent on parent.id = x.parent_id`,
  product_categories: `select ${product('x.product_id')}, c.name, k.path from product_categories x join companies c on c.id = x.company_id join categories k on k.id = x.category_id`,
  prices: `select ${store('x.store_id')}, ${product('x.product_id')}, x.price::text, x.was_price::text, x.is_on_special, x.unit_price::text, x.unit, x.is_available, x.scraped_date::text from prices x`,
  price_history: `select ${store('h.store_id')}, ${product('h.product_id')}, h.price::text, h.was_price::text, h.is_on_special, h.scraped_date::text from price_history h`,
  imported_files: `select ${store('f.store_id')}, f.scraped_date::text, f.file_name, f.records from imported_files f`,
  price_sharing: `select ${store('x.store_id')}, ${store('x.source_store_id')}, x.scraped_date::text from price_sharing x`,
  price_exclusions: `select ${store('x.store_id')}, ${product('x.product_id')} from price_exclusions x`,
  history_periods: `select ${store('x.store_id')}, ${store('x.source_store_id')}, x.from_date::text, x.to_date::text from history_periods x`,
  price_history_skips: `select ${store('x.store_id')}, ${product('x.product_id')}, x.scraped_date::text from price_history_skips x`,
  store_groups: `select ${store('g.anchor_store_id')} from store_groups g`,
  substitutions: `select least(${product('x.product_a')}, ${product('x.product_b')}), greatest(${product('x.product_a')}, ${product('x.product_b')}), x.level, round(x.score::numeric, 6)::text from substitutions x`,
  bargains: `select ${product('x.product_id')}, ${store('x.store_id')}, x.min_price::text, x.max_price::text, x.price_count, x.company_count from bargains x`,
  embeddings: `select model_id, text_hash, dimensions, md5(vector) from embeddings`,
  category_links: `select least(${category('x.category_a')}, ${category('x.category_b')}), greatest(${category('x.category_a')}, ${category('x.category_b')}), x.kind, round(x.score::numeric, 6)::text, x.model_id from category_links x`,
  store_group_members: `select ${store('m.store_id')}, ${store('g.anchor_store_id')}, m.checked_scrape::text from store_group_members m join store_groups g on g.id = m.group_id`,
  // A cache of each store's last full scrape (import/store-digest.ts): its store, date and how many
  // products it holds (its base but the dropped ones, and its patch), however it was written.
  store_digests: `select ${store('d.store_id')}, d.scraped_date::text,
      (select count(*) from ((${digestProducts('d.entries', 32, 8)} except ${digestProducts('d.dropped', 8, 0)}) union ${digestProducts('d.patch', 32, 8)}) m)
    from store_digests d`,
  store_scrape_queue: `select ${store('q.store_id')}, q.rescrape_scrape::text, q.rescrape_reason, q.handed_out_to from store_scrape_queue q`,
};

/** Columns that only say when or in which order something was written. */
const INCIDENTAL = /^(id|created_at|updated_at|imported_at|joined_at|compared_at|generated_at|handed_out_at|rescrape_flagged_at)$/;

export type Fingerprint = Record<string, string>;

/**
 * Bookkeeping that records when something was written, not what is stored: which transactions
 * changed the catalogue (for the server's search copy), one row per writing transaction.
 */
const BOOKKEEPING = ['catalogue_changes'];

/** Every table of the schema in use (migration and write bookkeeping aside). */
export async function schemaTables(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ name: string }> }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'trolley\\_migrations%' and table_name not like 'knex\\_%'
       and table_name <> all(?::text[])
     order by 1`,
    [BOOKKEEPING],
  );
  return rows.map((r) => r.name);
}

/**
 * `table → "rows:sha256"` for every table. Tables without a natural-key query above (those no import,
 * pipeline or group run writes by natural keys) are hashed on their columns without ids and times.
 */
export async function fingerprint(knex: Knex): Promise<Fingerprint> {
  const result: Fingerprint = {};
  for (const table of await schemaTables(knex)) {
    const lines = await naturalRows(knex, table);
    result[table] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return result;
}

/** The tables that have a natural-key query of their own (the others are hashed on their columns). */
export const NATURAL_KEY_TABLES: readonly string[] = Object.keys(NATURAL);

/** The natural-key query of a table: its own above, or its columns without ids and times. */
async function naturalQuery(knex: Knex, table: string): Promise<string> {
  const own = NATURAL[table];
  if (own) return own;
  const { rows } = await knex.raw<{ rows: Array<{ column: string }> }>(
    `select column_name as column from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position`,
    [table],
  );
  const columns = rows.map((r) => r.column).filter((c) => !INCIDENTAL.test(c));
  return `select ${columns.length ? columns.map((c) => `"${c}"::text`).join(', ') : '1'} from "${table}"`;
}

/** The rows of one table in natural keys, each as a record's text, sorted. */
export async function naturalRows(knex: Knex, table: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ row: string }> }>(`select r::text as row from (${await naturalQuery(knex, table)}) r`);
  return rows.map((r) => r.row).sort();
}

/** The tables whose fingerprints differ, `table: a ≠ b`; empty when the two databases hold the same. */
export function fingerprintDifferences(a: Fingerprint, b: Fingerprint): string[] {
  const tables = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  // A table one database lacks (a plugin's, say) counts as empty.
  const empty = `0:${createHash('sha256').update('').digest('hex').slice(0, 16)}`;
  return tables.filter((t) => (a[t] ?? empty) !== (b[t] ?? empty)).map((t) => `${t}: ${a[t] ?? 'missing'} ≠ ${b[t] ?? 'missing'}`);
}

/** Every current price by company, store and SKU (not by product): where a price belongs, whatever product it was matched to. */
export async function pricesBySku(knex: Knex): Promise<Array<{ store: string; sku: string; price: string; was: string | null; special: boolean; date: string }>> {
  const { rows } = await knex.raw(
    `select c.name || ':' || s.store_id as store, k.sku, x.price::text as price, x.was_price::text as was, x.is_on_special as special, x.scraped_date::text as date
     from prices x join stores s on s.id = x.store_id join companies c on c.id = s.company_id join product_skus k on k.product_id = x.product_id and k.company_id = s.company_id
     order by 1, 2`,
  );
  return rows;
}
