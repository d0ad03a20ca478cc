/**
 * Imports one scrape file in one transaction (SPEC §3). The file is read and checked whole before
 * anything is written; a failed file changes nothing and stays where it was; a stale file is
 * skipped and reported; with `dryRun` the transaction is rolled back after counting.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import { isTrolleyError } from '../errors.js';
import { keepFirstLinePerProduct, mergeCatalogue } from './catalogue-merge.js';
import { mergePrices, type SyncMode } from './price-merge.js';
import { readScrapeFile, rejectsFileOf, type ReadOptions, type ScrapeFile } from './scrape-file.js';
import { stageRows } from './staging.js';
import { markImported, resolveStore } from './store-resolution.js';

export interface ImportOptions extends ReadOptions {
  readonly dryRun?: boolean;
}

export interface FileReport {
  readonly file: string;
  readonly mode: SyncMode | 'stale' | 'failed';
  readonly company?: string;
  readonly store?: string;
  readonly scrapedDate?: string;
  readonly rows: { inserted: number; updated: number; unchanged: number; deleted: number };
  readonly records: number;
  readonly duplicates: number;
  readonly newProducts: number;
  readonly barcodesAdded: number;
  readonly barcodesRejected: number;
  readonly history: number;
  readonly rejects: number;
  readonly rejectsFile?: string;
  readonly seconds: number;
  readonly dryRun: boolean;
  /** Why the file failed or was skipped: one sentence with the fix. */
  readonly message?: string;
}

const NO_ROWS = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };

class RollBack extends Error {}

/** A file read and checked (or the sentence saying why it cannot be imported), and how long that took. */
export type ReadScrape = { readonly file: string; readonly ms: number } & ({ readonly scrape: ScrapeFile } | { readonly failure: string });

export async function readForImport(file: string, options: ReadOptions = {}): Promise<ReadScrape> {
  const started = performance.now();
  try {
    return { file, scrape: await readScrapeFile(file, options), ms: performance.now() - started };
  } catch (error) {
    if (!isTrolleyError(error)) throw error;
    return { file, failure: error.message, ms: performance.now() - started };
  }
}

export async function importFile(knex: Knex, file: string, options: ImportOptions = {}): Promise<FileReport> {
  return importScrape(knex, await readForImport(file, options), options);
}

/** Writes one read file to the database in one transaction. */
export async function importScrape(knex: Knex, read: ReadScrape, options: ImportOptions = {}): Promise<FileReport> {
  const started = performance.now() - read.ms;
  const seconds = () => Math.round(performance.now() - started) / 1000;
  const dryRun = options.dryRun === true;
  const file = read.file;
  const base = { file, rows: NO_ROWS, records: 0, duplicates: 0, newProducts: 0, barcodesAdded: 0, barcodesRejected: 0, history: 0, rejects: 0, dryRun };
  if ('failure' in read) return { ...base, mode: 'failed', message: read.failure, seconds: seconds() };
  const scrape = read.scrape;
  const described = {
    company: scrape.store.company,
    store: scrape.store.storeId,
    scrapedDate: scrape.scrapedDate,
    records: scrape.rows.length,
    rejects: scrape.rejects.length,
    barcodesRejected: scrape.rejectedBarcodes.length,
  };
  let report: FileReport | undefined;
  try {
    await knex.transaction(async (trx) => {
      const store = await resolveStore(trx, scrape.store);
      if (store.lastScrapedDate !== null && scrape.scrapedDate <= store.lastScrapedDate) {
        report = {
          ...base,
          ...described,
          mode: 'stale',
          message: `${file} is dated ${scrape.scrapedDate}, not newer than the last import of ${scrape.store.company} store ${scrape.store.storeId} (${store.lastScrapedDate}); it was skipped and left in place.`,
          seconds: seconds(),
        };
        throw new RollBack();
      }
      await stageRows(trx, scrape.rows);
      const catalogue = await mergeCatalogue(trx, store.companyId);
      const duplicates = await keepFirstLinePerProduct(trx);
      const prices = await mergePrices(trx, store.storeId, scrape.scrapedDate);
      await markImported(trx, store, scrape.store, scrape.scrapedDate);
      const { mode, history, ...rows } = prices;
      report = { ...base, ...described, mode, rows, history, duplicates, ...catalogue, seconds: 0 };
      if (dryRun) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  const done = report!;
  if (done.mode !== 'stale' && !dryRun && scrape.rejects.length > 0) {
    const rejectsFile = rejectsFileOf(file);
    fs.writeFileSync(rejectsFile, scrape.rejects.map((r) => JSON.stringify({ line: r.lineNo, reason: r.reason, text: r.text })).join('\n') + '\n');
    return { ...done, rejectsFile, seconds: seconds() };
  }
  return { ...done, seconds: seconds() };
}
