/**
 * The ledger of imported files (table `imported_files`): each import records the store, scraped
 * date, size and record count of its file. Before reading a file, an import looks at its first line
 * and its size: a file whose store and date were already imported with the same size is the same
 * scrape, stale (docs/import.md step 2), and is reported without being read again. Everything else —
 * a new file, an older day never imported, a file that changed size, a first line that does not
 * check — is read whole as before, and the staleness rule is applied there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { RecordOptions, StoreRef } from './scrape-record.js';
import { checkLine } from './scrape-line.js';
import { firstLineOf, type FirstLines } from './file-order.js';
import type { ResolvedStore } from './store-resolution.js';

/** A file the ledger recognises as already imported. */
export interface KnownFile {
  readonly file: string;
  readonly store: StoreRef;
  readonly scrapedDate: string;
  /** The store's last imported date. */
  readonly lastScrapedDate: string;
  /** Records the file held when it was imported. */
  readonly records: number;
}

/** What a file's first line says: its store and date (and the file's size). */
export interface FileHead {
  readonly file: string;
  readonly store: StoreRef;
  readonly scrapedDate: string;
  readonly bytes: number;
}

export interface LedgerLookup {
  /** The files the ledger knows as imported and that are stale, by file. */
  readonly known: Map<string, KnownFile>;
  /** The head of every file whose first line checks, by file. */
  readonly heads: Map<string, FileHead>;
}

/**
 * Reads the first line of each of `files` (unless `firstLines` holds it already, as ordering them by
 * date read it) and finds those the ledger knows as imported.
 */
export async function findImportedFiles(knex: Knex, files: readonly string[], options: RecordOptions = {}, firstLines: FirstLines = new Map()): Promise<LedgerLookup> {
  const heads: FileHead[] = [];
  // One file at a time: hundreds of gzip streams open at once cost hundreds of MB.
  for (const file of files) {
    const head = await headOf(file, options, firstLines);
    if (head) heads.push(head);
  }
  const known = new Map<string, KnownFile>();
  const lookup = { known, heads: new Map(heads.map((h) => [h.file, h])) };
  if (heads.length === 0) return lookup;
  const { rows } = await knex.raw<{ rows: Array<{ i: number; last: string; records: number }> }>(
    `select x.i, to_char(s.last_scraped_date, 'YYYY-MM-DD') as last, f.records
     from jsonb_to_recordset(?::jsonb) as x(i int, company text, store_id text, scraped_date date, bytes bigint)
     join companies c on c.name = x.company
     join stores s on s.company_id = c.id and s.store_id = x.store_id
     join imported_files f on f.store_id = s.id and f.scraped_date = x.scraped_date and f.bytes = x.bytes
     where x.scraped_date <= s.last_scraped_date`,
    [JSON.stringify(heads.map((f, i) => ({ i, company: f.store.company, store_id: f.store.storeId, scraped_date: f.scrapedDate, bytes: f.bytes })))],
  );
  for (const row of rows) {
    const head = heads[row.i]!;
    known.set(head.file, { file: head.file, store: head.store, scrapedDate: head.scrapedDate, lastScrapedDate: row.last, records: Number(row.records) });
  }
  return lookup;
}

export interface ImportedFile {
  readonly store: ResolvedStore;
  readonly file: string;
  readonly scrapedDate: string;
  readonly bytes: number;
  readonly records: number;
}

/** Records the files a batch imported (inside its transaction). */
export async function recordImportedFiles(trx: Knex.Transaction, imported: readonly ImportedFile[]): Promise<void> {
  if (imported.length === 0) return;
  await trx.raw(
    `insert into imported_files (store_id, scraped_date, file_name, bytes, records)
     select x.store_id, x.scraped_date, x.file_name, x.bytes, x.records
     from jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date, file_name text, bytes bigint, records int)
     on conflict (store_id, scraped_date) do update
       set file_name = excluded.file_name, bytes = excluded.bytes, records = excluded.records, imported_at = now()`,
    [JSON.stringify(imported.map((i) => ({ store_id: i.store.storeId, scraped_date: i.scrapedDate, file_name: path.basename(i.file), bytes: i.bytes, records: i.records })))],
  );
}

/** The store and date of a file's first line, and its size; undefined when that line does not check. */
async function headOf(file: string, options: RecordOptions, firstLines: FirstLines): Promise<FileHead | undefined> {
  const line = await firstLineOf(file, firstLines);
  if (!line) return undefined;
  const verdict = checkLine(line.text, line.lineNo, options);
  if (!verdict.ok) return undefined;
  // The size after the line: a file that is gone by now is read whole, and that read says so.
  const bytes = await fs.promises.stat(file).then((stat) => stat.size, () => undefined);
  return bytes === undefined ? undefined : { file, store: verdict.store, scrapedDate: verdict.scrapedDate, bytes };
}

/** The size of the file the ledger holds for each store and day asked (database store id → bytes). */
export async function ledgerSizes(trx: Knex.Transaction, wanted: ReadonlyArray<{ readonly storeId: number; readonly scrapedDate: string }>): Promise<Map<number, number>> {
  const sizes = new Map<number, number>();
  if (wanted.length === 0) return sizes;
  const { rows } = await trx.raw<{ rows: Array<{ store_id: string | number; bytes: string | number }> }>(
    `select f.store_id, f.bytes from imported_files f
     join jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date) on f.store_id = x.store_id and f.scraped_date = x.scraped_date`,
    [JSON.stringify(wanted.map((w) => ({ store_id: w.storeId, scraped_date: w.scrapedDate })))],
  );
  for (const row of rows) sizes.set(Number(row.store_id), Number(row.bytes));
  return sizes;
}
