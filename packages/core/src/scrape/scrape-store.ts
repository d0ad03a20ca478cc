/**
 * `scrape products` for one store and day: the kernel's side of a listing scrape. The scraper
 * discovers the categories and fetches and cleans their pages; this module chooses the categories
 * (asked for, not finished by an earlier run), makes every finished category durable in the state
 * file before the next one starts, writes the store's record file (duplicates across categories
 * once, the first seen), marks it partial when categories are missing, and removes the state once
 * the file is complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ProgressReporter } from '../context/progress.js';
import type { CategoryOutcome, ListingCategory, ProductLister } from '../extensions/api.js';
import { CategoryState, type CategoryEntry } from './category-state.js';
import type { Politeness } from './fetch-flags.js';
import { listingRecord, type RecordMetadata } from './listing-record.js';
import { recordFileOf, writeLinesAtomically } from './record-file.js';

export interface StoreRef {
  readonly company: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly state: string | null;
}

export interface StoreScrapeOptions {
  readonly store: StoreRef;
  /** `YYYY-MM-DD`: the day the file is for (a rerun on the same day resumes). */
  readonly date: string;
  readonly outbox: string;
  /** Category keys or names to fetch (case-insensitive); all the site lists when absent. */
  readonly categories?: readonly string[] | undefined;
  readonly dryRun: boolean;
  readonly lister: ProductLister;
  readonly politeness: Politeness;
  /** Parent of this run's scratch folder (crawler state), removed at the end. */
  readonly stateDir: string;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
}

/** `unavailable`: the site could not be reached for the category list (refused, down, a wrong --base-url); nothing written. */
export type StoreScrapeStatus = 'done' | 'partial' | 'blocked' | 'unavailable' | 'dry-run' | 'already-done' | 'empty' | 'bad-categories';

export interface StoreScrapeResult {
  readonly company: string;
  readonly storeId: string;
  readonly date: string;
  readonly status: StoreScrapeStatus;
  /** The record file (written for done, partial and blocked when anything was had). */
  readonly file: string;
  readonly written: boolean;
  readonly stateFile: string;
  readonly categories: {
    /** Listed by the site (0 on a dry run or when discovery failed). */
    readonly discovered: number;
    /** Chosen for this store (asked for, or all). */
    readonly wanted: number;
    /** Finished by an earlier run of the same day. */
    readonly resumed: number;
    readonly done: number;
    readonly failed: ReadonlyArray<{ readonly key: string; readonly name: string; readonly reason: string }>;
    /** Wanted but not finished (failed, or not reached because the run stopped). */
    readonly missing: readonly string[];
  };
  readonly products: number;
  /** Products listed in more than one category (written once). */
  readonly duplicates: number;
  readonly pages: number;
  readonly blocked?: { readonly url: string; readonly reason: string };
  /** What went wrong, one sentence with the fix. */
  readonly message?: string;
  readonly statistics?: Readonly<Record<string, unknown>>;
  readonly seconds: number;
}

/** What `failed_categories` names when the site's category list itself could not be had. */
const DISCOVERY = '(category list)';

export async function scrapeStore(options: StoreScrapeOptions): Promise<StoreScrapeResult> {
  const started = Date.now();
  const { store, date } = options;
  const file = recordFileOf(options.outbox, store.company, store.storeName, store.storeId, date);
  const stateFile = `${file}.progress`;
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const base = { company: store.company, storeId: store.storeId, date, file, stateFile };
  const noCategories = { discovered: 0, wanted: 0, resumed: 0, done: 0, failed: [], missing: [] };
  if (fs.existsSync(file) && !fs.existsSync(stateFile)) {
    return { ...base, status: 'already-done', written: false, categories: noCategories, products: 0, duplicates: 0, pages: 0, seconds: seconds(), message: `${path.basename(file)} is already complete for ${date}; nothing was fetched (remove it to scrape the store again).` };
  }
  const state = CategoryState.read(stateFile);
  const resumed = state.done();
  if (options.dryRun) {
    return { ...base, status: 'dry-run', written: false, categories: { ...noCategories, resumed: resumed.size, done: resumed.size }, products: 0, duplicates: 0, pages: 0, seconds: seconds() };
  }

  const asked = options.categories?.map((c) => c.trim().toLowerCase()).filter(Boolean);
  let discovered: readonly ListingCategory[] = [];
  let wanted: readonly ListingCategory[] = [];
  let unknown: string[] = [];
  let pages = 0;
  const task = options.progress.start(`${store.company} ${store.storeId} categories`);
  const storageDir = fs.mkdtempSync(path.join(ensureDir(options.stateDir), 'list-'));
  let summary;
  try {
    summary = await options.lister.list({
      ...options.politeness,
      storeId: store.storeId,
      storageDir,
      logger: options.logger,
      selectCategories: (listed) => {
        discovered = listed;
        wanted = asked ? listed.filter((c) => asked.includes(c.key.toLowerCase()) || asked.includes(c.name.toLowerCase())) : listed;
        unknown = asked ? asked.filter((a) => !listed.some((c) => c.key.toLowerCase() === a || c.name.toLowerCase() === a)) : [];
        if (unknown.length > 0) return [];
        const todo = wanted.filter((c) => !resumed.has(c.key));
        task.setTotal(todo.length);
        options.logger.info({ store: store.storeId, discovered: listed.length, wanted: wanted.length, resumed: wanted.length - todo.length }, `${store.company} ${store.storeId}: ${todo.length} categor${todo.length === 1 ? 'y' : 'ies'} to fetch (${wanted.length - todo.length} finished earlier)`);
        return todo;
      },
      onCategory: (outcome: CategoryOutcome) => {
        pages += outcome.pages;
        state.record(outcome);
        task.tick();
        if (outcome.status === 'failed') options.logger.warn({ store: store.storeId, category: outcome.category.key }, `${store.company} store ${store.storeId}, category ${outcome.category.name}: ${outcome.reason}`);
      },
    });
  } finally {
    task.done();
    await state.close();
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
  if (unknown.length > 0) {
    const sample = discovered.slice(0, 12).map((c) => c.key).join(', ');
    return {
      ...base,
      status: 'bad-categories',
      written: false,
      categories: { ...noCategories, discovered: discovered.length },
      products: 0,
      duplicates: 0,
      pages,
      seconds: seconds(),
      message: `${store.company} store ${store.storeId} lists no categor${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; give --categories from the site's list (${sample}${discovered.length > 12 ? ', …' : ''}).`,
    };
  }

  const done = state.done();
  const discoveryFailed = summary.failed !== undefined && discovered.length === 0;
  const missing = discoveryFailed ? [DISCOVERY] : wanted.filter((c) => !done.has(c.key)).map((c) => c.name);
  const failed = state.failed().filter((e) => !done.has(e.key)).map((e) => ({ key: e.key, name: e.name, reason: e.reason ?? 'failed' }));
  const subset = asked !== undefined;
  const complete = missing.length === 0 && !summary.blocked;
  const metadata: RecordMetadata = {
    company: store.company,
    store_id: store.storeId,
    store_name: store.storeName,
    state: store.state,
    scraped_date: date,
    ...(complete && !subset ? {} : { partial: true as const }),
    ...(missing.length > 0 ? { failed_categories: missing } : {}),
  };
  const { lines, products, duplicates } = recordLines([...state.entries.values()], metadata);
  const written = lines.length > 0;
  if (written) writeLinesAtomically(file, lines);
  // A subset (--categories) keeps its state, so a later run of the whole store the same day adds the rest.
  if (complete && written && !subset) await state.remove();
  const categories = { discovered: discovered.length, wanted: wanted.length, resumed: wanted.filter((c) => resumed.has(c.key)).length, done: wanted.filter((c) => done.has(c.key)).length, failed, missing };
  const result = { ...base, written, categories, products, duplicates, pages, statistics: summary.statistics, seconds: seconds() };
  const where = `${store.company} store ${store.storeId}`;
  if (summary.blocked) {
    return {
      ...result,
      status: 'blocked',
      blocked: summary.blocked,
      message: `The site blocked the scraper at ${summary.blocked.url} (${summary.blocked.reason}) while listing ${where}; ${categories.done} of ${wanted.length || '?'} categories are kept in ${stateFile}${written ? ` and written to ${path.basename(file)} marked partial` : ''}. To resume: start a browser session with trolley scrape session --company ${store.company} (where its scraper has one) or pass a browser session's cookies with --cookies FILE (or wait), and run the same command again; finished categories are not fetched again.`,
    };
  }
  if (summary.failed && discoveryFailed) {
    if (!written) return { ...result, status: 'unavailable', message: `The category list of ${where} could not be had from ${summary.failed.url} (${summary.failed.reason}) after the retries; nothing was written. Check the network (and --base-url, if given) and run the same command again.` };
    return { ...result, status: 'partial', message: `The category list of ${where} could not be had from ${summary.failed.url} (${summary.failed.reason}); run the same command again later.` };
  }
  if (missing.length > 0) {
    const first = failed[0];
    return {
      ...result,
      status: 'partial',
      message: `${missing.length} of ${wanted.length} categories of ${where} could not be finished (${first ? `${first.name}: ${first.reason}` : missing.slice(0, 3).join(', ')}); ${written ? `${path.basename(file)} is written marked partial, ` : ''}run the same command again to fetch just those.`,
    };
  }
  if (!written) return { ...result, status: 'empty', message: `${where} listed no products in ${wanted.length} categories; nothing was written (check the store id).` };
  return { ...result, status: 'done' };
}

/** The file's lines: every category's products in the order categories finished, each SKU once. */
function recordLines(entries: readonly CategoryEntry[], metadata: RecordMetadata): { lines: string[]; products: number; duplicates: number } {
  const seen = new Set<string>();
  const lines: string[] = [];
  let duplicates = 0;
  for (const entry of entries) {
    for (const product of entry.products) {
      const sku = String(product.sku);
      if (seen.has(sku)) {
        duplicates++;
        continue;
      }
      seen.add(sku);
      lines.push(JSON.stringify(listingRecord(product, metadata)));
    }
  }
  return { lines, products: lines.length, duplicates };
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
