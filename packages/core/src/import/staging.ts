/**
 * The staging table of one file's import: a temporary table dropped at commit, loaded in chunks
 * with one `jsonb_to_recordset` statement each (no per-row round trips; the same SQL on the
 * embedded database and on a server).
 */
import type { Knex } from 'knex';
import type { ImportRow } from './scrape-record.js';

export const STAGE = 'import_stage';
/** Separates category path parts inside one staged text column. */
export const PATH_SEPARATOR = '\u001f';
const CHUNK = 5_000;

const COLUMNS = `line_no int, sku text, name text, brand text, brand_key text, barcode text, nnbs text, sizes text,
  category_path text, price numeric(10,2), was_price numeric(10,2), is_on_special boolean, unit_price numeric(14,4),
  unit text, is_available boolean`;

export async function stageRows(trx: Knex.Transaction, rows: readonly ImportRow[]): Promise<void> {
  await trx.raw(`create temp table ${STAGE} (${COLUMNS}, product_id bigint) on commit drop`);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((r) => ({
      line_no: r.lineNo,
      sku: r.sku,
      name: r.name,
      brand: r.brand,
      brand_key: r.brandKey,
      barcode: r.barcode,
      nnbs: r.nnbs,
      sizes: r.sizes.join(' '),
      category_path: r.categoryPath.join(PATH_SEPARATOR),
      price: r.price,
      was_price: r.wasPrice,
      is_on_special: r.isOnSpecial,
      unit_price: r.unitPrice,
      unit: r.unit,
      is_available: r.isAvailable,
    }));
    await trx.raw(`insert into ${STAGE} select *, null::bigint from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})`, [JSON.stringify(chunk)]);
  }
}
