/**
 * The staging tables of one import batch (one or more files of different stores), temporary and
 * dropped at commit:
 * - `import_catalogue`: each distinct catalogue record of the batch once (the stores of a company
 *   list the same products, so 50,000 lines hold a few thousand), with where it first and last
 *   appeared, so the catalogue merge works on a few thousand rows and keeps the batch's order;
 * - `import_lines`: every line's price fields and the catalogue record it names (with the
 *   digest, ./store-digest.ts, only the lines not found in their store's digest);
 * - `import_digest_stores`: with the digest, the stores whose lines found in it (by their bytes,
 *   never parsed, ./scrape-file.ts, or by their parsed record) stand for their products, and their
 *   files' dates; those unchanged products themselves stay in this process, never staged (they are
 *   most of a steady day's lines);
 * - `import_digest_rest`: with the digest, the products of each such store's digest that no such
 *   line stands for (changed or gone: a few).
 * On a PostgreSQL server they are filled with COPY; on the embedded database (which has no COPY
 * from a client stream) in chunks of one `jsonb_to_recordset` statement each. Never a round trip
 * per row.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { LENT_DATABASE_APPLICATION } from '../db/shared-socket.js';
import { bigintArray } from '../db/sql-arrays.js';
import type { ImportRow } from './scrape-record.js';
import type { RepeatedLine } from './scrape-file.js';
import { catalogueFacts, DIGEST_REST, DIGEST_STORES, lineHash, priceHash, recordLanes, type LineHash, type StoreDigest } from './store-digest.js';
import { FULL_SYNC_SHARE } from './sync-share.js';

export const CATALOGUE = 'import_catalogue';
export const LINES = 'import_lines';
/** The category links of lines taken unparsed (./catalogue-merge.ts). */
export const UNPARSED_LINKS = 'import_unparsed_links';
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
  /** Each row's raw hash (./scrape-file.ts), kept in the next digest. */
  readonly rawHashes?: Int32Array | undefined;
  /**
   * The store's valid digest (./store-digest.ts): lines found in it are not staged as lines but as
   * unchanged products. Without one every line is staged.
   */
  readonly digest?: StoreDigest | undefined;
  /** With the digest: the lines found in it by their bytes, not parsed (not in `rows`). */
  readonly repeated?: readonly RepeatedLine[] | undefined;
  /** The store, as {@link RepeatedLinesRefused} names it. */
  readonly storeKey: string;
  /**
   * The store's first day (./first-day.ts): its lines are not staged but kept here, for rows
   * written straight into the price tables once the catalogue is merged.
   */
  readonly firstDay?: boolean | undefined;
}

/**
 * Thrown when a store whose lines were taken from its digest unparsed must go the full path: the
 * batch is read again with those lines parsed (./import-batch.ts).
 */
export class RepeatedLinesRefused extends Error {
  readonly storeIds: ReadonlySet<string>;
  constructor(storeKeys: Iterable<string>) {
    super('lines taken from a store digest must be parsed');
    this.storeIds = new Set(storeKeys);
  }
}

/** A distinct catalogue record of the batch and where it appeared. */
interface CatalogueRecord {
  readonly catNo: number;
  readonly companyId: number;
  readonly row: ImportRow;
  /** Its first appearance in the batch (file order, then line order), and that file. */
  readonly seq: number;
  readonly fileNo: number;
  /** The last file it appears in, and its first line there. */
  lastFileNo: number;
  lastLineNo: number;
  /** The record's part of its lines' hashes (./store-digest.ts), once one of them is hashed. */
  lanes?: LineHash;
}

/** A line of the batch and the catalogue record it names. */
export interface StagedLine {
  readonly file: StagedFile;
  readonly catNo: number;
  readonly row: ImportRow;
  /** The row's place in its file's rows (its raw hash's). */
  readonly index: number;
  /** Null when the batch keeps no digests. */
  readonly hash: LineHash | null;
}

/** A line found in its store's digest: the product it stands for (and, unparsed, no catalogue record). */
export interface UnchangedLine {
  readonly file: StagedFile;
  readonly lineNo: number;
  readonly catNo: number | null;
  readonly productId: number;
  readonly hash: LineHash;
  readonly raw: LineHash | null;
  readonly categoryId: number | null;
}

/** A row's raw hash (hi, lo), or null when it has none. */
export function rawHashOf(file: StagedFile, index: number): LineHash | null {
  const hi = file.rawHashes?.[2 * index] ?? 0;
  const lo = file.rawHashes?.[2 * index + 1] ?? 0;
  return hi === 0 && lo === 0 ? null : [hi, lo];
}

export type Columns<T> = ReadonlyArray<readonly [string, string, (value: T) => StagedValue]>;

/** The staged columns: name, SQL type and value; one list serves the table, COPY and the JSON load. */
const CATALOGUE_COLUMNS: Columns<CatalogueRecord> = [
  ['cat_no', 'int', (c) => c.catNo],
  ['seq', 'int', (c) => c.seq],
  ['file_no', 'int', (c) => c.fileNo],
  ['last_file_no', 'int', (c) => c.lastFileNo],
  ['last_line_no', 'int', (c) => c.lastLineNo],
  ['company_id', 'bigint', (c) => c.companyId],
  ['sku', 'text', (c) => c.row.sku],
  ['name', 'text', (c) => c.row.name],
  ['brand', 'text', (c) => c.row.brand],
  ['brand_key', 'text', (c) => c.row.brandKey],
  ['barcode', 'text', (c) => c.row.barcode],
  ['nnbs', 'text', (c) => c.row.nnbs],
  ['sizes', 'text', (c) => c.row.sizes.join(' ')],
  ['category_path', 'text', (c) => c.row.categoryPath.join(PATH_SEPARATOR)],
  // The barcode as the line gave it (the merge may drop `barcode` as a conflict): whether its raw
  // hash may stand for it tomorrow (./store-digest.ts).
  ['given_barcode', 'text', (c) => c.row.barcode],
];

const LINE_COLUMNS: Columns<StagedLine> = [
  ['file_no', 'int', (l) => l.file.fileNo],
  ['store_id', 'bigint', (l) => l.file.storeId],
  ['scraped_date', 'date', (l) => l.file.scrapedDate],
  ['line_no', 'int', (l) => l.row.lineNo],
  ['cat_no', 'int', (l) => l.catNo],
  ['price', 'numeric(10,2)', (l) => l.row.price],
  ['was_price', 'numeric(10,2)', (l) => l.row.wasPrice],
  ['is_on_special', 'boolean', (l) => l.row.isOnSpecial],
  ['unit_price', 'numeric(14,4)', (l) => l.row.unitPrice],
  ['unit', 'text', (l) => l.row.unit],
  ['is_available', 'boolean', (l) => l.row.isAvailable],
  ['hash_hi', 'int', (l) => l.hash?.[0] ?? null],
  ['hash_lo', 'int', (l) => l.hash?.[1] ?? null],
  ['raw_hi', 'int', (l) => rawHashOf(l.file, l.index)?.[0] ?? null],
  ['raw_lo', 'int', (l) => rawHashOf(l.file, l.index)?.[1] ?? null],
];

/** A product of a store's digest that no unchanged line stands for ({@link DIGEST_REST}). */
interface RestProduct {
  readonly storeId: number;
  readonly productId: number;
}

const REST_COLUMNS: Columns<RestProduct> = [
  ['store_id', 'bigint', (r) => r.storeId],
  ['product_id', 'bigint', (r) => r.productId],
];

const DIGEST_STORE_COLUMNS: Columns<StagedFile> = [
  ['store_id', 'bigint', (f) => f.storeId],
  ['scraped_date', 'date', (f) => f.scrapedDate],
];

/** A category link that lines taken unparsed stand for: the latest such line of a product and company in the batch. */
interface UnparsedLink {
  readonly productId: number;
  readonly companyId: number;
  readonly categoryId: number;
  readonly fileNo: number;
  readonly lineNo: number;
}

const LINK_COLUMNS: Columns<UnparsedLink> = [
  ['product_id', 'bigint', (l) => l.productId],
  ['company_id', 'bigint', (l) => l.companyId],
  ['category_id', 'bigint', (l) => l.categoryId],
  ['file_no', 'int', (l) => l.fileNo],
  ['line_no', 'int', (l) => l.lineNo],
];

/** The staged batch: `restage` sends stores back to the full path (their unchanged lines become staged lines). */
export interface Staged {
  /**
   * The stores on their digest whose unchanged lines cannot stand for their products (ask once the
   * catalogue is merged): a parsed unchanged line whose record now resolves to another product than
   * the digest says, or a staged line of the same file that names an unchanged product (which line
   * comes first is then no longer known without the full path).
   */
  offDigest(): Promise<number[]>;
  restage(storeIds: readonly number[]): Promise<void>;
  /** The first line of each unchanged product, per store still off the full path (for its next digest). */
  unchanged(): readonly UnchangedLine[];
  /**
   * The stores still off the full path (in `import_digest_stores`, the rest of their digests in
   * `import_digest_rest`), each with how many products its unchanged lines stand for.
   */
  onDigest(): ReadonlyMap<number, number>;
  /** The lines of the stores on their first day, not staged (./first-day.ts), in batch order. */
  readonly firstDay: readonly StagedLine[];
  /** Loads rows into a table of the transaction, as the staging tables were loaded. */
  readonly load: Loader;
}

/** Loads rows into a table: by COPY on a server, else by chunks of `jsonb_to_recordset`. */
export type Loader = <T>(table: string, columns: Columns<T>, rows: readonly T[]) => Promise<void>;

/** The loader of a transaction: COPY where its connection can take it. */
async function loaderOf(trx: Knex.Transaction): Promise<Loader> {
  const connection = (await trx.client.acquireConnection()) as ServerConnection;
  // A node-postgres client (server) has connection parameters; the embedded PGlite instance has not,
  // and one lent over a socket by `trolley serve` cannot take COPY.
  const server = typeof connection.connectionParameters === 'object' && connection.connectionParameters.application_name !== LENT_DATABASE_APPLICATION;
  return (table, columns, rows) => (server ? copyRows(connection, table, columns, rows) : insertRows(trx, table, columns, rows));
}

/** Stages the batch; with `hashed`, every line carries its hash (for the digests written after it). */
export async function stageRows(trx: Knex.Transaction, files: readonly StagedFile[], hashed = false): Promise<Staged> {
  const { catalogue, lines, unchanged, rest, onDigest, held, firstDay } = split(files, hashed);
  // A store whose unchanged lines stand for no product (an empty digest) is not among them, as on the full path.
  const onDigestFiles = files.filter((f) => (onDigest.get(f.storeId)?.size ?? 0) > 0);
  await trx.raw(`create temp table ${CATALOGUE} (${definition(CATALOGUE_COLUMNS)}, product_id bigint) on commit drop`);
  await trx.raw(`create temp table ${LINES} (${definition(LINE_COLUMNS)}) on commit drop`);
  await trx.raw(`create temp table ${DIGEST_STORES} (${definition(DIGEST_STORE_COLUMNS)}) on commit drop`);
  await trx.raw(`create temp table ${UNPARSED_LINKS} (${definition(LINK_COLUMNS)}) on commit drop`);
  await trx.raw(`create temp table ${DIGEST_REST} (${definition(REST_COLUMNS)}) on commit drop`);
  const load = await loaderOf(trx);
  await load(CATALOGUE, CATALOGUE_COLUMNS, catalogue);
  await load(LINES, LINE_COLUMNS, lines);
  if (onDigestFiles.length > 0) await load(DIGEST_STORES, DIGEST_STORE_COLUMNS, onDigestFiles);
  if (rest.length > 0) await load(DIGEST_REST, REST_COLUMNS, rest);
  const links = unparsedLinks(unchanged);
  if (links.length > 0) await load(UNPARSED_LINKS, LINK_COLUMNS, links);
  const back = new Set<number>();
  const live = (storeId: number) => onDigest.has(storeId) && !back.has(storeId);
  return {
    async offDigest() {
      const staged = lines.filter((l) => live(l.file.storeId));
      const parsed = unchanged.filter((l) => l.catNo !== null && live(l.file.storeId));
      const products = await catalogueFacts(trx, [...new Set([...staged, ...parsed].map((l) => l.catNo!))]);
      const off = new Set<number>();
      for (const l of parsed) {
        const now = products.get(l.catNo!)?.productId;
        if (now !== undefined && now !== l.productId) off.add(l.file.storeId);
      }
      for (const l of staged) {
        const now = products.get(l.catNo)?.productId;
        if (now !== undefined && onDigest.get(l.file.storeId)!.has(now)) off.add(l.file.storeId);
      }
      return [...off];
    },
    async restage(storeIds) {
      if (storeIds.length === 0) return;
      const unparsed = files.filter((f) => storeIds.includes(f.storeId) && f.repeated !== undefined);
      if (unparsed.length > 0) throw new RepeatedLinesRefused(unparsed.map((f) => f.storeKey));
      for (const id of storeIds) back.add(id);
      await load(LINES, LINE_COLUMNS, held.filter((l) => back.has(l.file.storeId)));
      await trx.raw(`delete from ${DIGEST_STORES} where store_id = any(?::bigint[])`, [bigintArray(storeIds)]);
      await trx.raw(`delete from ${DIGEST_REST} where store_id = any(?::bigint[])`, [bigintArray(storeIds)]);
    },
    unchanged: () => unchanged.filter((l) => !back.has(l.file.storeId)),
    onDigest: () => new Map([...onDigest].flatMap(([id, products]) => (back.has(id) ? [] : [[id, products.size] as const]))),
    firstDay,
    load,
  };
}

/** Per product and company, the latest line taken unparsed whose record links a category (latest file, then first line). */
function unparsedLinks(unchanged: readonly UnchangedLine[]): UnparsedLink[] {
  const latest = new Map<string, UnparsedLink>();
  for (const l of unchanged) {
    if (l.catNo !== null || l.categoryId === null) continue;
    const key = `${l.productId}:${l.file.companyId}`;
    const known = latest.get(key);
    if (known && (known.fileNo > l.file.fileNo || (known.fileNo === l.file.fileNo && known.lineNo < l.lineNo))) continue;
    latest.set(key, { productId: l.productId, companyId: l.file.companyId, categoryId: l.categoryId, fileNo: l.file.fileNo, lineNo: l.lineNo });
  }
  return [...latest.values()];
}

/**
 * The batch's distinct catalogue records (of every line: the catalogue merge sees what the full path
 * sees), and its lines pointing at them. A line found in its store's digest is set apart in `held`,
 * and the first such line of each product in `unchanged`; `held` goes back to `lines` if the store
 * returns to the full path.
 */
function split(
  files: readonly StagedFile[],
  hashed: boolean,
): {
  catalogue: CatalogueRecord[];
  lines: StagedLine[];
  unchanged: UnchangedLine[];
  rest: RestProduct[];
  /** Per store on its digest, the products its unchanged lines stand for. */
  onDigest: Map<number, Set<number>>;
  held: StagedLine[];
  firstDay: StagedLine[];
} {
  // By company and SKU, then compared field by field (a SKU has one record but for a rename): no key string per line.
  const bySku = new Map<number, Map<string, CatalogueRecord[]>>();
  const catalogue: CatalogueRecord[] = [];
  const lines: StagedLine[] = [];
  const unchanged: UnchangedLine[] = [];
  const rest: RestProduct[] = [];
  const onDigest = new Map<number, Set<number>>();
  const held: StagedLine[] = [];
  const firstDay: StagedLine[] = [];
  let seq = 0;
  for (const file of files) {
    const found: UnchangedLine[] = [];
    const foundLines: StagedLine[] = [];
    const fileLines: StagedLine[] = [];
    let ofCompany = bySku.get(file.companyId);
    if (!ofCompany) bySku.set(file.companyId, (ofCompany = new Map()));
    for (let index = 0; index < file.rows.length; index++) {
      const row = file.rows[index]!;
      let ofSku = ofCompany.get(row.sku);
      if (!ofSku) ofCompany.set(row.sku, (ofSku = []));
      let record = ofSku.find((r) => sameRecord(r.row, row));
      if (!record) {
        record = { catNo: catalogue.length, companyId: file.companyId, row, seq, fileNo: file.fileNo, lastFileNo: file.fileNo, lastLineNo: row.lineNo };
        ofSku.push(record);
        catalogue.push(record);
      } else if (record.lastFileNo !== file.fileNo) {
        record.lastFileNo = file.fileNo;
        record.lastLineNo = row.lineNo;
      }
      const hash = hashed || file.digest ? (row.hash ?? priceHash((record.lanes ??= recordLanes(row)), row)) : null;
      const productId = file.digest?.byRecord(hash!);
      const line = { file, catNo: record.catNo, row, index, hash };
      if (productId === undefined) fileLines.push(line);
      else {
        foundLines.push(line);
        found.push({ file, lineNo: row.lineNo, catNo: record.catNo, productId, hash: hash!, raw: rawHashOf(file, index), categoryId: null });
      }
      seq++;
    }
    if (file.firstDay) {
      appendAll(firstDay, fileLines);
      continue;
    }
    const repeated = (file.repeated ?? []).map(
      ({ lineNo, entry }): UnchangedLine => ({ file, lineNo, catNo: null, productId: entry.productId, hash: [entry.hashHi, entry.hashLo], raw: [entry.rawHi, entry.rawLo], categoryId: entry.categoryId }),
    );
    const products = new Set([...found, ...repeated].map((l) => l.productId));
    // A file that repeats less of the digest than a full sync must hold may be a partial scrape (the
    // 90% rule): it goes the full path, every line staged (lines taken unparsed are read again).
    if (file.digest && repeatsTooLittle(file.digest, products.size)) {
      if (repeated.length > 0) throw new RepeatedLinesRefused([file.storeKey]);
      appendAll(lines, fileLines);
      appendAll(lines, foundLines);
      continue;
    }
    appendAll(lines, fileLines);
    appendAll(held, foundLines);
    // The first line of each product, in line order, whether parsed or not.
    const first = new Set<number>();
    for (const line of inLineOrder(found, repeated)) if (!first.has(line.productId)) first.add(line.productId) && unchanged.push(line);
    if (!file.digest) continue;
    onDigest.set(file.storeId, products);
    for (const productId of file.digest.products()) if (!products.has(productId)) rest.push({ storeId: file.storeId, productId });
  }
  return { catalogue, lines, unchanged, rest, onDigest, held, firstDay };
}

/** Appends `items` to `target` one by one: spread into `push`, a file of some 120,000 lines overflows the stack. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

const repeatsTooLittle = (digest: StoreDigest, products: number) => products < FULL_SYNC_SHARE * digest.size;

/**
 * Whether a file with lines taken unparsed from its digest repeats too little of the digest to use
 * it (the 90% rule, as {@link stageRows} applies it): asked before anything is written, so that such
 * a file is read again, every line parsed, instead of the batch being rolled back.
 */
export function repeatsTooLittleOf(file: { readonly digest: StoreDigest; readonly rows: readonly ImportRow[]; readonly repeated: readonly RepeatedLine[] }): boolean {
  const products = new Set(file.repeated.map((l) => l.entry.productId));
  for (const row of file.rows) {
    const productId = file.digest.byRecord(lineHash(row));
    if (productId !== undefined) products.add(productId);
  }
  return repeatsTooLittle(file.digest, products.size);
}

/** Two lists in line order merged into one. */
function* inLineOrder(a: readonly UnchangedLine[], b: readonly UnchangedLine[]): Generator<UnchangedLine> {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) yield j >= b.length || (i < a.length && a[i]!.lineNo < b[j]!.lineNo) ? a[i++]! : b[j++]!;
}

/** Whether two rows of one company and SKU are one catalogue record: every staged catalogue column equal. */
function sameRecord(a: ImportRow, b: ImportRow): boolean {
  return (
    a.name === b.name &&
    a.brand === b.brand &&
    a.barcode === b.barcode &&
    a.nnbs === b.nnbs &&
    sameJoined(a.sizes, b.sizes, ' ') &&
    sameJoined(a.categoryPath, b.categoryPath, PATH_SEPARATOR)
  );
}

/** Whether two lists are staged as the same text (joined by `separator`); equal parts answer without joining. */
function sameJoined(a: readonly string[], b: readonly string[], separator: string): boolean {
  if (a === b) return true;
  if (a.length === b.length && a.every((part, i) => part === b[i])) return true;
  return a.join(separator) === b.join(separator);
}

const definition = <T>(columns: Columns<T>) => columns.map(([name, type]) => `${name} ${type}`).join(', ');
const names = <T>(columns: Columns<T>) => columns.map(([name]) => name).join(', ');

interface ServerConnection {
  connectionParameters?: { application_name?: string };
  query(stream: NodeJS.WritableStream): NodeJS.WritableStream;
}

/** COPY text sent per socket write: one write per row cost more than the COPY itself. */
const COPY_CHUNK_CHARS = 256 * 1024;

async function copyRows<T>(connection: ServerConnection, table: string, columns: Columns<T>, rows: readonly T[]): Promise<void> {
  const { from: copyFrom } = (await import('pg-copy-streams')).default;
  const sink = connection.query(copyFrom(`copy ${table} (${names(columns)}) from stdin`) as unknown as NodeJS.WritableStream);
  const values = columns.map(([, , value]) => value);
  const chunks = function* () {
    let chunk = '';
    for (const r of rows) {
      for (let i = 0; i < values.length; i++) chunk += (i === 0 ? '' : '\t') + copyText(values[i]!(r));
      chunk += '\n';
      if (chunk.length >= COPY_CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await pipeline(Readable.from(chunks()), sink);
}

/** Characters COPY's text format escapes: a test, and the same set for the replacement. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = new RegExp(COPY_SPECIAL.source, 'g');

/** A value in COPY's text format: `\N` for null, backslash escapes for the separators. */
function copyText(value: StagedValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(COPY_SPECIALS, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

async function insertRows<T>(trx: Knex.Transaction, table: string, columns: Columns<T>, rows: readonly T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((r) => Object.fromEntries(columns.map(([name, , value]) => [name, value(r)])));
    await trx.raw(`insert into ${table} (${names(columns)}) select * from jsonb_to_recordset(?::jsonb) as x(${definition(columns)})`, [JSON.stringify(chunk)]);
  }
}
