/**
 * Imports many files: reads ahead while the database merges, and gathers files of different stores
 * into batches written in one transaction each (a set-based pass over 50,000 rows costs far less
 * than 20 passes over 2,500). Files of one store go into successive batches in date order, so the
 * staleness rule sees them as a person importing them in turn would. On a server up to `jobs`
 * batches of different stores run at once. A batch that lost a deadlock is retried; a batch that
 * fails otherwise is written again file by file, so that the error, if it stays, is one file's.
 * A file the ledger of imported files recognises (same store, date and size) is stale and is not
 * read again.
 */
import type { Knex } from 'knex';
import { importBatch, staleReport } from './import-batch.js';
import { findImportedFiles } from './imported-files.js';
import { readForImport, type FileReport, type ImportOptions, type ReadScrape } from './import-file.js';

export interface ImportFilesOptions extends ImportOptions {
  /** How many batches may be in the database at once (1 on the embedded database). */
  readonly jobs?: number;
  /** Rows a batch gathers before it is written (default {@link BATCH_ROWS}); 1 writes file by file. */
  readonly batchRows?: number;
  readonly onFile?: (report: FileReport) => void;
}

export const BATCH_ROWS = 50_000;
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

interface Batch {
  readonly indexes: number[];
  readonly reads: ReadScrape[];
  readonly stores: Set<string>;
  rows: number;
}

export async function importFiles(knex: Knex, files: readonly string[], options: ImportFilesOptions = {}): Promise<FileReport[]> {
  const jobs = Math.max(1, options.jobs ?? 1);
  const batchRows = Math.max(1, options.batchRows ?? BATCH_ROWS);
  const reports: FileReport[] = new Array(files.length);
  const lastOfStore = new Map<string, Promise<unknown>>();
  const running = new Set<Promise<unknown>>();
  const all: Array<Promise<unknown>> = [];

  const write = async (batch: Batch) => {
    while (running.size >= jobs) await Promise.race(running);
    const before = [...new Set([...batch.stores].map((s) => lastOfStore.get(s)).filter((p) => p !== undefined))];
    const task = (async () => {
      await Promise.all(before.map((p) => p.catch(() => undefined)));
      const done = await importWithFallback(knex, batch.reads, options);
      done.forEach((report, i) => {
        reports[batch.indexes[i]!] = report;
        options.onFile?.(report);
      });
    })();
    for (const store of batch.stores) lastOfStore.set(store, task);
    running.add(task);
    all.push(task);
    task.then(
      () => running.delete(task),
      () => running.delete(task),
    );
    // A failure in any batch (a bug, the database going away) stops the run, below.
    task.catch(() => undefined);
  };

  // Files the ledger knows as imported are stale: reported without being read again.
  const known = await findImportedFiles(knex, files, options);
  let batch: Batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
  for (const [index, file] of files.entries()) {
    const imported = known.get(file);
    if (imported) {
      reports[index] = { ...staleReport(file, imported.store, imported.scrapedDate, imported.lastScrapedDate, options.dryRun === true), records: imported.records, seconds: 0 };
      options.onFile?.(reports[index]!);
      continue;
    }
    // Reading (CPU in this process) overlaps the database's work on the batches already sent.
    const read = await readForImport(file, options);
    const store = 'scrape' in read ? `${read.scrape.store.company}\u0000${read.scrape.store.storeId}` : undefined;
    if (batch.reads.length > 0 && ((store !== undefined && batch.stores.has(store)) || batch.rows >= batchRows)) {
      await write(batch);
      batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
    }
    batch.indexes.push(index);
    batch.reads.push(read);
    if (store !== undefined) batch.stores.add(store);
    batch.rows += 'scrape' in read ? read.scrape.rows.length : 0;
    if (batch.rows >= batchRows) {
      await write(batch);
      batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
    }
  }
  if (batch.reads.length > 0) await write(batch);
  await Promise.all(all);
  return reports;
}

/** A batch of several files that fails for another reason than a deadlock is written again file by file. */
async function importWithFallback(knex: Knex, reads: readonly ReadScrape[], options: ImportOptions): Promise<FileReport[]> {
  if (reads.length === 1) return withRetry(() => importBatch(knex, reads, options));
  try {
    return await withRetry(() => importBatch(knex, reads, options));
  } catch {
    const reports: FileReport[] = [];
    for (const read of reads) reports.push(...(await withRetry(() => importBatch(knex, [read], options))));
    return reports;
  }
}

async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= MAX_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
