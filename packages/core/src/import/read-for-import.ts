/**
 * Reading a file for the import (./import-file.ts): read and checked whole, with its size, or the
 * sentence saying why it cannot be imported; and the options files are read with.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import { isTrolleyError } from '../errors.js';
import type { ImportOptions, ReadScrape } from './import-file.js';
import { readScrapeFile, storeNamedIn, type ReadOptions } from './scrape-file.js';
import { readDigest, usesDigest } from './store-digest.js';

export async function readForImport(file: string, options: ReadOptions = {}): Promise<ReadScrape> {
  const started = performance.now();
  try {
    const scrape = await readScrapeFile(file, options);
    return { file, scrape, bytes: (await fs.promises.stat(file)).size, ms: performance.now() - started };
  } catch (error) {
    if (!isTrolleyError(error)) throw error;
    return { file, failure: error.message, store: await storeNamedIn(file, options), ms: performance.now() - started };
  }
}

/** The options files are read with: with the digest, each file's store's digest is read before its lines. */
export function readingOptions<T extends ImportOptions>(knex: Knex, options: T): T {
  if (!usesDigest(options) || options.digestOf !== undefined) return options;
  return { ...options, digestOf: (store, scrapedDate) => readDigest(knex, store, scrapedDate, options.storeId) };
}
