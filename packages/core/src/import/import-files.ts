/**
 * Imports many files: reads ahead while the database merges, and gathers files of different stores
 * into batches written in one transaction each (a set-based pass over 50,000 rows costs far less
 * than 20 passes over 2,500). Files of one store go into successive batches in date order, so the
 * staleness rule sees them as a person importing them in turn would. On a server up to `jobs`
 * batches of different stores run at once. A batch that lost a deadlock is retried; a batch that
 * fails otherwise is written again file by file, so that the error, if it stays, is one file's.
 * A file the ledger of imported files recognises (same store, date and size) is stale and is not
 * read again. When a file of a store fails (its lines, or the database refusing its values), the
 * store's later files in the run are held back, never imported past it.
 * A store that shares another store's rows writes only where its file differs from them, so each
 * day's files of pricing stores go before the files of the stores that read their rows
 * (./source-order.ts), and a batch waits for the earlier batches of the stores it shares with: what
 * an import stores does not depend on which batch commits first.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { ExitCode, isTrolleyError } from '../errors.js';
import { pruneCatalogueChanges } from '../search/catalogue-changes.js';
import { environmentFailure, refusalOf } from './database-refusal.js';
import type { FirstLines } from './file-order.js';
import { seriesOf } from './file-series.js';
import { failedReport, importBatch, staleReport } from './import-batch.js';
import { findImportedFiles } from './imported-files.js';
import type { FileReport, ImportOptions, ReadScrape } from './import-file.js';
import { readForImport, readingOptions } from './read-for-import.js';
import { lineCount } from './scrape-file.js';
import { sourcesFirst, sourcesOfSharingStores } from './source-order.js';
import { refKey } from './store-resolution.js';

export interface ImportFilesOptions extends ImportOptions {
  /** How many batches may be in the database at once (1 on the embedded database). */
  readonly jobs?: number;
  /** Rows a batch gathers before it is written (default {@link BATCH_ROWS}); 1 writes file by file. */
  readonly batchRows?: number;
  readonly onFile?: (report: FileReport) => void;
  /** First lines already read (by ./file-order.ts), so that no file's first line is read twice. */
  readonly firstLines?: FirstLines;
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

export async function importFiles(knex: Knex, files: readonly string[], given: ImportFilesOptions = {}): Promise<FileReport[]> {
  const options = readingOptions(knex, given);
  const jobs = Math.max(1, options.jobs ?? 1);
  const batchRows = Math.max(1, options.batchRows ?? BATCH_ROWS);
  const dryRun = options.dryRun === true;
  const reports: FileReport[] = new Array(files.length);
  const lastOfStore = new Map<string, Promise<unknown>>();
  // Stores that read another store's rows: member → source.
  const sourceOf = await sourcesOfSharingStores(knex);
  // Files the ledger knows as imported are stale: reported without being read again.
  const { known, heads } = await findImportedFiles(knex, files, options, options.firstLines);
  // Positions below are in import order; reports keep the order of `files`.
  const order = sourcesFirst(files, heads, sourceOf);
  // Per source, the batches of its members written since its last batch: a source's batch waits
  // for them, as a member's batch waits for its source's last one.
  const membersSince = new Map<string, Array<Promise<unknown>>>();
  const running = new Set<Promise<unknown>>();
  const all: Array<Promise<unknown>> = [];
  // The stores with a file that failed in this run, and that file: their later files are held back,
  // so that the next run, once the file is fixed or removed, imports them in date order.
  // A failed file whose lines name no store (a broken gzip, no line readable) holds back the later
  // files of its series instead: the same name apart from the date.
  const failed = new Map<string, { file: string; index: number }>();
  const fail = (read: ReadScrape, index: number) => {
    const key = storeKeyOf(read) ?? seriesKeyOf(read.file);
    if (key !== undefined && !((failed.get(key)?.index ?? Infinity) < index)) failed.set(key, { file: read.file, index });
  };
  /** The failed file a file must wait behind: an earlier file of its store, or of its series, that failed. */
  const failedBefore = (read: ReadScrape, index: number) => {
    for (const key of [storeKeyOf(read), seriesKeyOf(read.file)]) {
      const earlier = key === undefined ? undefined : failed.get(key);
      if (earlier !== undefined && earlier.index < index) return earlier.file;
    }
    return undefined;
  };
  const settle = (position: number, report: FileReport) => {
    reports[order[position]!] = report;
    options.onFile?.(report);
  };

  const write = async (batch: Batch) => {
    while (running.size >= jobs) await Promise.race(running);
    const before = [
      ...new Set(
        [...batch.stores].flatMap((s) => {
          const source = sourceOf.get(s);
          return [lastOfStore.get(s), source === undefined ? undefined : lastOfStore.get(source), ...(membersSince.get(s) ?? [])];
        }),
      ),
    ].filter((p) => p !== undefined);
    const task = (async () => {
      await Promise.all(before.map((p) => p.catch(() => undefined)));
      // An earlier file of a store may have failed in the database meanwhile.
      const live: number[] = [];
      batch.reads.forEach((read, i) => {
        const failedFile = failedBefore(read, batch.indexes[i]!);
        if (failedFile === undefined) live.push(i);
        else settle(batch.indexes[i]!, heldReport(read, failedFile, dryRun));
      });
      if (live.length === 0) return;
      const done = await importWithFallback(
        knex,
        live.map((i) => batch.reads[i]!),
        options,
      );
      done.forEach((report, j) => {
        const read = batch.reads[live[j]!]!;
        if (report.mode === 'failed') fail(read, batch.indexes[live[j]!]!);
        settle(batch.indexes[live[j]!]!, report);
      });
    })();
    for (const store of batch.stores) {
      lastOfStore.set(store, task);
      membersSince.delete(store);
    }
    for (const store of batch.stores) {
      const source = sourceOf.get(store);
      if (source !== undefined) membersSince.set(source, [...(membersSince.get(source) ?? []), task]);
    }
    running.add(task);
    all.push(task);
    task.then(
      () => running.delete(task),
      () => running.delete(task),
    );
    // A failure in any batch (a bug, the database going away) stops the run, below.
    task.catch(() => undefined);
  };

  let batch: Batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
  for (const [index, file] of order.map((i) => files[i]!).entries()) {
    const imported = known.get(file);
    if (imported) {
      settle(index, { ...staleReport(file, imported.store, imported.scrapedDate, imported.lastScrapedDate, dryRun, options.backfill === true), records: imported.records, seconds: 0 });
      continue;
    }
    // Reading (CPU in this process) overlaps the database's work on the batches already sent.
    const read = await readForImport(file, options);
    const store = storeKeyOf(read);
    const failedFile = failedBefore(read, index);
    if (failedFile !== undefined) {
      settle(index, heldReport(read, failedFile, dryRun));
      continue;
    }
    if ('failure' in read) {
      fail(read, index);
      settle(index, { ...failedReport(file, read.failure, dryRun), ...(read.store ? { company: read.store.company, store: read.store.storeId } : {}), seconds: Math.round(read.ms) / 1000 });
      continue;
    }
    if (batch.reads.length > 0 && ((store !== undefined && batch.stores.has(store)) || batch.rows >= batchRows)) {
      await write(batch);
      batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
    }
    batch.indexes.push(index);
    batch.reads.push(read);
    if (store !== undefined) batch.stores.add(store);
    batch.rows += lineCount(read.scrape);
    if (batch.rows >= batchRows) {
      await write(batch);
      batch = { indexes: [], reads: [], stores: new Set(), rows: 0 };
    }
  }
  if (batch.reads.length > 0) await write(batch);
  await Promise.all(all);
  // The notes of catalogue changes are read by servers within seconds; old ones are of no use.
  if (!dryRun) await pruneCatalogueChanges(knex);
  return reports;
}

/** A file's series ({@link seriesOf}) as a map key beside store keys, or undefined when its name holds no date. */
function seriesKeyOf(file: string): string | undefined {
  const series = seriesOf(file);
  return series === undefined ? undefined : `series\u0000${series}`;
}

/** The store a read names (its scrape's, or for a failed file the one its lines name), as a map key. */
function storeKeyOf(read: ReadScrape): string | undefined {
  const ref = 'scrape' in read ? read.scrape.store : read.store;
  return ref === undefined ? undefined : refKey(ref.company, ref.storeId);
}

function heldReport(read: ReadScrape, failedFile: string, dryRun: boolean): FileReport {
  const ref = 'scrape' in read ? read.scrape.store : read.store;
  const whose = ref === undefined ? 'of the same series (its name but for the date)' : `of ${ref.company} store ${ref.storeId}`;
  return {
    ...failedReport(read.file, '', dryRun),
    mode: 'held',
    ...(ref === undefined ? {} : { company: ref.company, store: ref.storeId }),
    ...('scrape' in read ? { scrapedDate: read.scrape.scrapedDate, records: lineCount(read.scrape) } : {}),
    message: `${path.basename(read.file)} was held back: an earlier file ${whose} (${path.basename(failedFile)}) failed in this run; fix or remove that file and import again, and this one follows in date order.`,
    seconds: 0,
  };
}

/**
 * A batch of several files that fails for another reason than a deadlock is written again file by
 * file. A file whose values the database refuses fails alone (its report says why); a full disk or a
 * database that went away ends the run with its own sentence.
 */
async function importWithFallback(knex: Knex, reads: readonly ReadScrape[], options: ImportOptions): Promise<FileReport[]> {
  if (reads.length > 1) {
    try {
      return await withRetry(() => importBatch(knex, reads, options));
    } catch (error) {
      const stop = environmentFailure(error);
      if (stop) throw stop;
    }
  }
  const reports: FileReport[] = [];
  for (const read of reads) {
    try {
      reports.push(...(await withRetry(() => importBatch(knex, [read], options))));
    } catch (error) {
      const refused = isTrolleyError(error) && error.exitCode === ExitCode.input ? error.message : refusalOf(read.file, error);
      if (refused === undefined) throw environmentFailure(error) ?? error;
      reports.push({ ...failedReport(read.file, refused, options.dryRun === true), seconds: Math.round(read.ms) / 1000 });
    }
  }
  return reports;
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
