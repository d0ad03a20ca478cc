/**
 * Reading a file for the import (./import-file.ts): read and checked whole, with its size, or the
 * sentence saying why it cannot be imported; and the options files are read with.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import { isTrolleyError } from '../errors.js';
import type { ImportOptions, ReadScrape } from './import-file.js';
import { readScrapeFile, storeNamedIn, type ReadOptions } from './scrape-file.js';
import { readDigest, storesWithDigests, usesDigest } from './store-digest.js';
import { refKey } from './store-resolution.js';

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

/**
 * The options files are read with: with the digest, each file's store's digest is read before its
 * lines. Which stores have a digest at all is asked once; a store that had none then (every store of
 * a first day) is not asked again, unless an earlier file of it in this run may have written one.
 * A digest not asked for only means the file goes the full path, as it would without one.
 */
export function readingOptions<T extends ImportOptions>(knex: Knex, options: T): T {
  if (!usesDigest(options) || options.digestOf !== undefined) return options;
  let withDigests: Promise<Set<string>> | undefined;
  const seen = new Set<string>();
  return {
    ...options,
    digestOf: async (store, scrapedDate) => {
      const key = refKey(store.company, store.storeId);
      const earlier = seen.has(key);
      seen.add(key);
      if (!earlier && !(await (withDigests ??= storesWithDigests(knex))).has(key)) return undefined;
      return readDigest(knex, store, scrapedDate, options.storeId);
    },
  };
}
