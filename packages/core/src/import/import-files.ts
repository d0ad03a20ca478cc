/**
 * Imports many files: read ahead while the database merges, and on a server up to `jobs` files of
 * different stores at once. Files of one store are imported one after another in date order, so
 * the staleness rule sees them as a person importing them in turn would. A transaction that lost
 * a deadlock to a concurrent one is retried.
 */
import type { Knex } from 'knex';
import { importScrape, readForImport, type FileReport, type ImportOptions, type ReadScrape } from './import-file.js';

export interface ImportFilesOptions extends ImportOptions {
  /** How many files may be in the database at once (1 on the embedded database). */
  readonly jobs?: number;
  readonly onFile?: (report: FileReport) => void;
}

const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 4;

export async function importFiles(knex: Knex, files: readonly string[], options: ImportFilesOptions = {}): Promise<FileReport[]> {
  const jobs = Math.max(1, options.jobs ?? 1);
  const reports: FileReport[] = new Array(files.length);
  const lastOfStore = new Map<string, Promise<unknown>>();
  const running = new Set<Promise<unknown>>();
  // Read ahead: `jobs` files beyond the ones being merged.
  const reads: Array<Promise<ReadScrape>> = [];
  const readAt = (i: number) => {
    while (reads.length <= Math.min(i + jobs, files.length - 1)) {
      const read = readForImport(files[reads.length]!, options);
      read.catch(() => undefined);
      reads.push(read);
    }
    return reads[i]!;
  };
  for (let index = 0; index < files.length; index++) {
    const read = await readAt(index);
    while (running.size >= jobs) await Promise.race(running);
    const storeKey = 'scrape' in read ? `${read.scrape.store.company}\u0000${read.scrape.store.storeId}` : `failed\u0000${index}`;
    const previous = lastOfStore.get(storeKey);
    const task = (async () => {
      if (previous) await previous.catch(() => undefined);
      const report = await withRetry(() => importScrape(knex, read, options));
      reports[index] = report;
      options.onFile?.(report);
    })();
    lastOfStore.set(storeKey, task);
    running.add(task);
    task.then(
      () => running.delete(task),
      () => running.delete(task),
    );
    // A failure in any file (a bug, the database going away) stops the run.
    task.catch(() => undefined);
  }
  await Promise.all([...lastOfStore.values()]);
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
