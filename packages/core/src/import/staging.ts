/**
 * The staging table of one import batch (one or more files of different stores): a temporary
 * table dropped at commit. On a PostgreSQL server it is filled with COPY; on the embedded database
 * (which has no COPY from a client stream) in chunks of one `jsonb_to_recordset` statement each.
 * Never a round trip per row.
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

/** One file's rows, with the store they were resolved to. */
export interface StagedFile {
  /** The file's place in the batch; files earlier in the batch come first wherever order matters. */
  readonly fileNo: number;
  readonly companyId: number;
  readonly storeId: number;
  readonly scrapedDate: string;
  readonly rows: readonly ImportRow[];
}

/** A staged row: the file it came from and the row itself. */
interface Staged {
  readonly file: StagedFile;
  /** The row's place in the whole batch: file order, then line order. */
  readonly seq: number;
  readonly row: ImportRow;
}

/** The staged columns: name, SQL type and value of a row; one list serves both ways of loading. */
const STAGED: ReadonlyArray<readonly [string, string, (s: Staged) => StagedValue]> = [
  ['seq', 'int', (s) => s.seq],
  ['file_no', 'int', (s) => s.file.fileNo],
  ['company_id', 'bigint', (s) => s.file.companyId],
  ['store_id', 'bigint', (s) => s.file.storeId],
  ['scraped_date', 'date', (s) => s.file.scrapedDate],
  ['line_no', 'int', ({ row: r }) => r.lineNo],
  ['sku', 'text', ({ row: r }) => r.sku],
  ['name', 'text', ({ row: r }) => r.name],
  ['brand', 'text', ({ row: r }) => r.brand],
  ['brand_key', 'text', ({ row: r }) => r.brandKey],
  ['barcode', 'text', ({ row: r }) => r.barcode],
  ['nnbs', 'text', ({ row: r }) => r.nnbs],
  ['sizes', 'text', ({ row: r }) => r.sizes.join(' ')],
  ['category_path', 'text', ({ row: r }) => r.categoryPath.join(PATH_SEPARATOR)],
  ['price', 'numeric(10,2)', ({ row: r }) => r.price],
  ['was_price', 'numeric(10,2)', ({ row: r }) => r.wasPrice],
  ['is_on_special', 'boolean', ({ row: r }) => r.isOnSpecial],
  ['unit_price', 'numeric(14,4)', ({ row: r }) => r.unitPrice],
  ['unit', 'text', ({ row: r }) => r.unit],
  ['is_available', 'boolean', ({ row: r }) => r.isAvailable],
];

const COLUMNS = STAGED.map(([name, type]) => `${name} ${type}`).join(', ');
const COLUMN_NAMES = STAGED.map(([name]) => name).join(', ');

export async function stageRows(trx: Knex.Transaction, files: readonly StagedFile[]): Promise<void> {
  await trx.raw(`create temp table ${STAGE} (${COLUMNS}, product_id bigint) on commit drop`);
  const connection = (await trx.client.acquireConnection()) as ServerConnection;
  // A node-postgres client (server) has connection parameters; the embedded PGlite instance has not.
  if (typeof connection.connectionParameters === 'object') await copyRows(connection, staged(files));
  else await insertRows(trx, [...staged(files)]);
}

function* staged(files: readonly StagedFile[]): Generator<Staged> {
  let seq = 0;
  for (const file of files) for (const row of file.rows) yield { file, seq: seq++, row };
}

interface ServerConnection {
  connectionParameters?: object;
  query(stream: NodeJS.WritableStream): NodeJS.WritableStream;
}

async function copyRows(connection: ServerConnection, rows: Iterable<Staged>): Promise<void> {
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

async function insertRows(trx: Knex.Transaction, rows: readonly Staged[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((r) => Object.fromEntries(STAGED.map(([name, , value]) => [name, value(r)])));
    await trx.raw(`insert into ${STAGE} select *, null::bigint from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})`, [JSON.stringify(chunk)]);
  }
}
