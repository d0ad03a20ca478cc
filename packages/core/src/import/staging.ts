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

type StagedValue = string | number | boolean | null;

/** The staged columns: name, SQL type and value of a row; one list serves both ways of loading. */
const STAGED: ReadonlyArray<readonly [string, string, (r: ImportRow) => StagedValue]> = [
  ['line_no', 'int', (r) => r.lineNo],
  ['sku', 'text', (r) => r.sku],
  ['name', 'text', (r) => r.name],
  ['brand', 'text', (r) => r.brand],
  ['brand_key', 'text', (r) => r.brandKey],
  ['barcode', 'text', (r) => r.barcode],
  ['nnbs', 'text', (r) => r.nnbs],
  ['sizes', 'text', (r) => r.sizes.join(' ')],
  ['category_path', 'text', (r) => r.categoryPath.join(PATH_SEPARATOR)],
  ['price', 'numeric(10,2)', (r) => r.price],
  ['was_price', 'numeric(10,2)', (r) => r.wasPrice],
  ['is_on_special', 'boolean', (r) => r.isOnSpecial],
  ['unit_price', 'numeric(14,4)', (r) => r.unitPrice],
  ['unit', 'text', (r) => r.unit],
  ['is_available', 'boolean', (r) => r.isAvailable],
];

const COLUMNS = STAGED.map(([name, type]) => `${name} ${type}`).join(', ');
const COLUMN_NAMES = STAGED.map(([name]) => name).join(', ');

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
  const sink = connection.query(copyFrom(`copy ${STAGE} (${COLUMN_NAMES}) from stdin`) as unknown as NodeJS.WritableStream);
  // Rows are sent in chunks of ~1,000: one socket write per row costs more than the COPY itself.
  const chunks = function* () {
    let chunk = '';
    let count = 0;
    for (const r of rows) {
      chunk += STAGED.map(([, , value]) => copyText(value(r))).join('\t') + '\n';
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
function copyText(value: StagedValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

async function insertRows(trx: Knex.Transaction, rows: readonly ImportRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((r) => Object.fromEntries(STAGED.map(([name, , value]) => [name, value(r)])));
    await trx.raw(`insert into ${STAGE} select *, null::bigint from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})`, [JSON.stringify(chunk)]);
  }
}
