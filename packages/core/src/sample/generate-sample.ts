/**
 * `generateSample`: synthetic scrape files in the real format (docs/input-format.md), a pure function of the
 * options. One gzipped JSON Lines file per store per day, `<company>-<slug>-<store id>-<date>.jsonl.gz`,
 * one line per product the store's chain sells. See the module docs of prices.ts for how zones,
 * rogue stores, specials and daily changes behave.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { companyCatalogue, nationalPool, ownLabelCount, type CompanyProduct } from './catalogue.js';
import { SAMPLE_COMPANIES, type SampleCompany } from './companies.js';
import { DEFAULT_DAILY_CHANGE, PriceBook, type ShelfPrices } from './prices.js';
import { dayFragments, priceFragments, productFragments, type ProductFragments, type RecordOptions } from './records.js';
import { buildStores, storeKey, type SampleStore } from './stores.js';
import { writeGzipLines } from './writer.js';
import { unit } from './random.js';

export { SAMPLE_COMPANIES, type SampleCompany } from './companies.js';
export { DEFAULT_DAILY_CHANGE } from './prices.js';
export type { SampleStore } from './stores.js';

export interface SampleOptions {
  /** Where the files go (created when missing; files of the same name are overwritten). */
  outDir: string;
  seed: number;
  /** Stores in all, spread round-robin over `companies`. */
  stores: number;
  /** Products each chain sells: every file of the chain has this many lines. */
  products: number;
  /** Consecutive scrape dates ending at `endDate` (at least 1). */
  days: number;
  /** YYYY-MM-DD. */
  endDate: string;
  companies: readonly SampleCompany[];
  /** Price zones per chain: stores of one zone have identical prices on a day. */
  zones: number;
  /** Rogue stores per chain (at most all its stores): ~50% of their prices differ from every zone. */
  rogueStores: number;
  /** Zoned stores per chain that sell a narrower range (a stable 40–80% of the chain's products); default 0. */
  narrowStores?: number;
  /**
   * About the share of a store's lines that differ from the day before (default
   * {@link DEFAULT_DAILY_CHANGE}, about 6%): every daily rate is scaled to it.
   */
  dailyChange?: number;
  quirks: {
    /** `normalized_name_brand_size` without spaces and no `price_hash`, like older real files. */
    legacyKeys: boolean;
    /** Aldi `unit_price` divided by 100 twice, as in the real 2025 Aldi files. */
    aldiUnitPriceDividedTwice: boolean;
  };
  /** Called after each file is complete. */
  onFile?: (done: number, total: number) => void;
}

export interface SampleResult {
  /** Every file written: day by day, in store order. */
  files: string[];
  /** Lines written in all. */
  records: number;
  /** Stores in all. */
  stores: number;
  /** Distinct products over all the chosen chains (a national product sold by three chains counts once). */
  products: number;
  /** The scrape dates, oldest first. */
  dates: string[];
  /** Every store with its price zone (null: rogue): the ground truth for grouping. */
  storeList: SampleStore[];
}

/** Upper bounds that keep a typo from filling a disk. */
export const SAMPLE_LIMITS = { stores: 100_000, products: 20_000, days: 366, zones: 1_000, dailyChange: 0.5 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks options; throws a {@link UsageError} whose one sentence names the flag and what it accepts. */
export function validateSampleOptions(options: SampleOptions): void {
  const integer = (flag: string, value: number, min: number, max: number) => {
    if (!Number.isSafeInteger(value)) throw new UsageError(`--${flag} must be a whole number, not ${value}.`);
    if (value < min) throw new UsageError(`--${flag} must be at least ${min} (got ${value}).`);
    if (value > max) throw new UsageError(`--${flag} must be at most ${max.toLocaleString('en-AU')} (got ${value.toLocaleString('en-AU')}).`);
  };
  if (!options.outDir) throw new UsageError('--out must name a directory.');
  if (!Number.isSafeInteger(options.seed)) throw new UsageError(`--seed must be a whole number, not ${options.seed}.`);
  integer('stores', options.stores, 1, SAMPLE_LIMITS.stores);
  integer('products', options.products, 1, SAMPLE_LIMITS.products);
  integer('days', options.days, 1, SAMPLE_LIMITS.days);
  integer('zones', options.zones, 1, SAMPLE_LIMITS.zones);
  integer('rogue', options.rogueStores, 0, SAMPLE_LIMITS.stores);
  integer('narrow', options.narrowStores ?? 0, 0, SAMPLE_LIMITS.stores);
  const dailyChange = options.dailyChange ?? DEFAULT_DAILY_CHANGE;
  if (!(Number.isFinite(dailyChange) && dailyChange > 0 && dailyChange <= SAMPLE_LIMITS.dailyChange)) {
    throw new UsageError(`--daily-change must be a share above 0 and at most ${SAMPLE_LIMITS.dailyChange} (0.005 for 0.5%), not ${options.dailyChange}.`);
  }
  if (!DATE.test(options.endDate) || toIsoDate(new Date(`${options.endDate}T00:00:00Z`)) !== options.endDate) {
    throw new UsageError(`--end-date must be a date written YYYY-MM-DD, not ${JSON.stringify(options.endDate)}.`);
  }
  if (options.companies.length === 0) throw new UsageError(`--companies must name at least one of ${SAMPLE_COMPANIES.join(', ')}.`);
  for (const company of options.companies) {
    if (!(SAMPLE_COMPANIES as readonly string[]).includes(company)) {
      throw new UsageError(`--companies: unknown company ${JSON.stringify(company)}; use ${SAMPLE_COMPANIES.join(', ')}.`);
    }
  }
}

function toIsoDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** `days` consecutive dates ending at `endDate`, oldest first. */
export function sampleDates(endDate: string, days: number): string[] {
  const end = Date.parse(`${endDate}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => toIsoDate(new Date(end - (days - 1 - i) * 86_400_000)));
}

/** One chain's fixed material: its catalogue, serialised fragments and price book. */
interface ChainState {
  readonly company: SampleCompany;
  readonly products: readonly CompanyProduct[];
  readonly fragments: readonly ProductFragments[];
  readonly book: PriceBook;
  /** Per zone, today's price fragments (built on first use each day). */
  zoneLines: Map<number, PriceLines>;
}

interface PriceLines {
  readonly prices: string[];
  readonly hashes: string[];
}

function priceLines(chain: ChainState, shelf: ShelfPrices, options: RecordOptions): PriceLines {
  const prices: string[] = [];
  const hashes: string[] = [];
  chain.products.forEach((product, i) => {
    const f = priceFragments(chain.company, product, shelf.current[i] as number, shelf.was[i] as number, shelf.available[i] === 1, options);
    prices.push(f.prices);
    hashes.push(f.hash);
  });
  return { prices, hashes };
}

const RANGE_STREAM = 57;

function* storeLines(chain: ChainState, store: SampleStore, date: string, lines: PriceLines): Generator<string> {
  const day = dayFragments(store, date);
  const key = storeKey(store);
  for (let i = 0; i < chain.fragments.length; i++) {
    // A store with a narrower range sells the same products every day.
    if (store.range < 1 && unit(key, i, RANGE_STREAM) >= store.range) continue;
    const f = chain.fragments[i] as ProductFragments;
    yield f.head + lines.prices[i] + f.key + lines.hashes[i] + day.date + f.tail + day.metadata;
  }
}

/** Runs `tasks` with at most `limit` at a time; stops at the first failure. */
async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export async function generateSample(options: SampleOptions): Promise<SampleResult> {
  validateSampleOptions(options);
  const companies = SAMPLE_COMPANIES.filter((c) => options.companies.includes(c));
  const recordOptions: RecordOptions = { legacyKeys: options.quirks.legacyKeys, aldiUnitPriceDividedTwice: options.quirks.aldiUnitPriceDividedTwice };
  const dates = sampleDates(options.endDate, options.days);
  const pool = nationalPool(options.seed, options.products);
  const chains = new Map<SampleCompany, ChainState>();
  const usedNational = new Set<number>();
  let products = 0;
  for (const company of companies) {
    const catalogue = companyCatalogue(options.seed, company, options.products, pool);
    for (const p of catalogue) if (p.product.owner === null) usedNational.add(p.product.id);
    products += ownLabelCount(company, options.products);
    chains.set(company, {
      company,
      products: catalogue,
      fragments: catalogue.map((p) => productFragments(p, recordOptions)),
      book: new PriceBook(options.seed, company, catalogue, options.zones, options.dailyChange),
      zoneLines: new Map(),
    });
  }
  products += usedNational.size;
  const stores = buildStores(options.seed, options.stores, companies, options.zones, options.rogueStores, options.narrowStores ?? 0);
  await fs.promises.mkdir(options.outDir, { recursive: true });

  const files: string[] = [];
  const total = stores.length * dates.length;
  let done = 0;
  let records = 0;
  const concurrency = Math.max(2, Math.min(8, os.availableParallelism()));
  for (const [day, date] of dates.entries()) {
    for (const chain of chains.values()) {
      chain.book.advance(day);
      chain.zoneLines = new Map();
    }
    const tasks = stores.map((store) => {
      const chain = chains.get(store.company) as ChainState;
      const file = path.join(options.outDir, `${store.company}-${store.fileStem}-${date}.jsonl.gz`);
      files.push(file);
      return async () => {
        let lines: PriceLines;
        if (store.zone === null) {
          lines = priceLines(chain, chain.book.roguePrices(storeKey(store)), recordOptions);
        } else {
          const cached = chain.zoneLines.get(store.zone);
          lines = cached ?? priceLines(chain, chain.book.zonePrices(store.zone), recordOptions);
          if (!cached) chain.zoneLines.set(store.zone, lines);
        }
        const written = await writeGzipLines(file, storeLines(chain, store, date, lines));
        records += written; // after the await: `records += await …` would lose concurrent updates
        options.onFile?.(++done, total);
      };
    });
    await runLimited(tasks, concurrency);
  }
  return { files, records, stores: stores.length, products, dates, storeList: stores };
}
