/**
 * Imports one scrape file (docs/import.md): read and checked whole before anything is written, then
 * written in one transaction. A failed file changes nothing and stays where it was; a stale file
 * is skipped and reported; with `dryRun` nothing is kept.
 */
import type { Knex } from 'knex';
import { importBatch } from './import-batch.js';
import type { SyncMode } from './price-merge.js';
import type { ReadOptions, ScrapeFile } from './scrape-file.js';
import { readForImport, readingOptions } from './read-for-import.js';

import type { StoreRef } from './scrape-record.js';

export interface ImportOptions extends ReadOptions {
  readonly dryRun?: boolean;
  /** Load a store's day older than its last import, never imported, into price history only (docs/import.md, "Backfill"). */
  readonly backfill?: boolean;
  /**
   * Keep a digest of each store's last full scrape and stage only the lines that differ from it
   * (docs/import.md, "The digest of a store's last scrape"); on unless false.
   */
  readonly digest?: boolean;
  /**
   * Write a store's first day straight into the price tables (./first-day.ts); on unless false. Off,
   * such a store goes through the comparing statements like any other: the same rows either way.
   */
  readonly firstDay?: boolean;
}

export interface FileReport {
  readonly file: string;
  /**
   * `held`: not imported because an earlier file of its store failed in this run (imported by a later run, in order);
   * `backfill`: an older day loaded into price history only (current prices untouched).
   */
  readonly mode: SyncMode | 'backfill' | 'stale' | 'failed' | 'held';
  readonly company?: string;
  readonly store?: string;
  readonly scrapedDate?: string;
  readonly rows: { inserted: number; updated: number; unchanged: number; deleted: number };
  readonly records: number;
  readonly duplicates: number;
  readonly newProducts: number;
  readonly barcodesAdded: number;
  readonly barcodesRejected: number;
  /** Lines whose barcode belongs to a product the company sells under another SKU (not applied). */
  readonly barcodeConflicts: number;
  readonly history: number;
  /** With the digest (docs/import.md): products whose line repeated the store's last full scrape, not staged. */
  readonly unchangedInDigest?: number;
  /** With the digest: lines found in it byte for byte (their date aside), never parsed. */
  readonly unparsedInDigest?: number;
  readonly rejects: number;
  readonly rejectsFile?: string;
  readonly seconds: number;
  readonly dryRun: boolean;
  /** What was let through on the user's word (invalid UTF-8 replaced), one sentence each. */
  readonly warnings?: string[];
  /** Why the file failed or was skipped: one sentence with the fix. */
  readonly message?: string;
}

/** A file read and checked, with its size (or the sentence saying why it cannot be imported), and how long that took. */
export type ReadScrape = { readonly file: string; readonly ms: number } & (
  | { readonly scrape: ScrapeFile; readonly bytes: number }
  /** A file that cannot be imported, and the store it names when any line says (to hold back its later files). */
  | { readonly failure: string; readonly store?: StoreRef | undefined }
);

export async function importFile(knex: Knex, file: string, options: ImportOptions = {}): Promise<FileReport> {
  const reading = readingOptions(knex, options);
  const [report] = await importBatch(knex, [await readForImport(file, reading)], reading);
  return report!;
}

