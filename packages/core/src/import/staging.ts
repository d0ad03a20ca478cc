/**
 * The staging table of one file's import: a temporary table dropped at commit. On a PostgreSQL
 * server it is filled with COPY; on the embedded database (which has no COPY from a client stream)
 * in chunks of one `jsonb_to_recordset` statement each. Never a round trip per row.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { ImportRow } from './scrape-record.js';

export const STAGE = 'import_stage';
/** Separates category path parts inside one staged text column. */
export const PATH_SEPARATOR = '\u001f';
const CHUNK = 5_000;

const COLUMNS = `line_no int, sku text, name text, brand text, brand_key text, barcode text, nnbs text, sizes text,
  category_path text, price numeric(10,2), was_price numeric(10,2), is_on_special boolean, unit_price numeric(14,4),
  unit text, is_available boolean`;

const COPY_COLUMNS = 'line_no, sku, name, brand, brand_key, barcode, nnbs, sizes, category_path, price, was_price, is_on_special, unit_price, unit, is_available';

export async function stageRows(trx: Knex.Transaction, rows: readonly ImportRow[]): Promise<void> {
  await trx.raw(`create temp table ${STAGE} (${COLUMNS}, product_id bigint) on commit drop`);
  const connection = (await trx.client.acquireConnection()) as ServerConnection;
  // A node-postgres client (server) has connection parameters; the embedded PGlite instance has not.
  if (typeof connection.connectionParameters === 'object') await copyRows(connection, rows);
  else await insertRows(trx, rows);
}

interface ServerConnection {
  connectionParameters?: object;
  query(stream: NodeJS.WritableStream): NodeJS.WritableStream;
}

async function copyRows(connection: ServerConnection, rows: readonly ImportRow[]): Promise<void> {
  const { from: copyFrom } = (await import('pg-copy-streams')).default;
  const sink = connection.query(copyFrom(`copy ${STAGE} (${COPY_COLUMNS}) from stdin`) as unknown as NodeJS.WritableStream);
  // Rows are sent in chunks of ~1,000: one socket write per row costs more than the COPY itself.
  const chunks = function* () {
    let chunk = '';
    let count = 0;
    for (const r of rows) {
      chunk +=
        [
          r.lineNo,
          r.sku,
          r.name,
          r.brand,
          r.brandKey,
          r.barcode,
          r.nnbs,
          r.sizes.join(' '),
          r.categoryPath.join(PATH_SEPARATOR),
          r.price,
          r.wasPrice,
          r.isOnSpecial,
          r.unitPrice,
          r.unit,
          r.isAvailable,
        ]
          .map(copyText)
          .join('\t') + '\n';
      if (++count % 1_000 === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await pipeline(Readable.from(chunks()), sink);
}

/** A value in COPY's text format: `\N` for null, backslash escapes for the separators. */
function copyText(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

async function insertRows(trx: Knex.Transaction, rows: readonly ImportRow[]): Promise<void> {
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
