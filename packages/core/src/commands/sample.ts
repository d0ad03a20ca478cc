import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import type { ProgressReporter } from '../context/progress.js';
import { Tokens } from '../context/tokens.js';
import { UsageError } from '../errors.js';
import { DEFAULT_DAILY_CHANGE, generateSample, SAMPLE_COMPANIES, validateSampleOptions, type SampleCompany, type SampleOptions, type SampleStore } from '../sample/generate-sample.js';

export interface SampleCommandResult {
  outDir: string;
  seed: number;
  /** File names written (in outDir), day by day in store order. */
  files: string[];
  records: number;
  stores: number;
  /** Distinct products over the chosen chains. */
  products: number;
  dates: { from: string; to: string };
  /** Every store with its price zone (null: rogue), the ground truth for store grouping. */
  storeList: SampleStore[];
  seconds: number;
}

export default class Sample extends TrolleyCommand<typeof Sample> {
  static override summary = 'Write synthetic scrape files (deterministic, from a seed) in the real format.';
  static override description = `One gzipped JSON Lines file per store per day, named <company>-<store>-<store id>-<date>.jsonl.gz, with one line per product the store's chain sells, in the layout of the real Coles, Woolworths, Aldi and IGA scrapes. Stores are spread round-robin over the chains. Each chain sells its own label plus a share of a common pool of national brands (one barcode across chains). Stores of one price zone charge identical prices on a day; zones differ on about 12% of products; a rogue store prices about half its products away from every zone. Day to day about 6% of a store's prices change (--daily-change) as regular prices move, specials start and end and products go in and out of stock. The same options always give byte-identical files. The end date defaults to 2026-01-31 (not today) so that a run is reproducible.`;
  static override examples = [
    '<%= config.bin %> sample --out scrapes/',
    '<%= config.bin %> sample --out /tmp/big --stores 400 --products 2500 --seed 7',
    '<%= config.bin %> sample --out /tmp/week --days 7 --companies aldi,iga --zones 2 --rogue 0 --json',
    '<%= config.bin %> sample --out /tmp/old --legacy-keys --aldi-unit-price-quirk',
  ];
  static override flags = {
    out: Flags.string({ description: 'Directory for the files (created if missing; must be empty unless --force).', required: true }),
    seed: Flags.integer({ description: 'Seed: the same seed and options give byte-identical files.', default: 1 }),
    stores: Flags.integer({ description: 'Stores in all, spread round-robin over the chains.', default: 20 }),
    products: Flags.integer({ description: 'Products each chain sells (lines per file).', default: 500 }),
    days: Flags.integer({ description: 'Consecutive scrape dates ending at --end-date (one file per store per day).', default: 1 }),
    'end-date': Flags.string({ description: 'Last scrape date, YYYY-MM-DD.', default: '2026-01-31' }),
    companies: Flags.string({ description: `Chains (comma-separated, or the flag repeated): ${SAMPLE_COMPANIES.join(', ')}.`, multiple: true, delimiter: ',', default: [...SAMPLE_COMPANIES] }),
    zones: Flags.integer({ description: 'Price zones per chain: stores of one zone charge identical prices.', default: 3 }),
    rogue: Flags.integer({ description: 'Rogue stores per chain, pricing about half their products away from every zone.', default: 1 }),
    'daily-change': Flags.string({
      description: 'About the share of each store\'s prices that differ from the day before (0.005 for 0.5%); every daily rate (price moves, specials starting and ending, availability) is scaled to it.',
      default: String(DEFAULT_DAILY_CHANGE),
    }),
    narrow: Flags.integer({ description: "Stores per chain (not rogue) selling a narrower range: a stable 40-80% of the chain's products, as regional stores do.", default: 0 }),
    'legacy-keys': Flags.boolean({ description: 'Write older files: normalized_name_brand_size without spaces and no price_hash.' }),
    'aldi-unit-price-quirk': Flags.boolean({ description: 'Divide Aldi unit_price by 100 twice, as in the real 2025 Aldi files.' }),
    force: Flags.boolean({ description: 'Write into a directory that is not empty (files with the same names are overwritten).' }),
  };

  async run(): Promise<SampleCommandResult> {
    const flags = this.flags;
    const outDir = path.resolve(flags.out);
    const companies = parseCompanies(flags.companies);
    let task: ReturnType<ProgressReporter['start']> | undefined;
    const options: SampleOptions = {
      outDir,
      seed: flags.seed,
      stores: flags.stores,
      products: flags.products,
      days: flags.days,
      endDate: flags['end-date'],
      companies,
      zones: flags.zones,
      rogueStores: flags.rogue,
      narrowStores: flags.narrow,
      dailyChange: share('daily-change', flags['daily-change']),
      quirks: { legacyKeys: flags['legacy-keys'], aldiUnitPriceDividedTwice: flags['aldi-unit-price-quirk'] },
      onFile: () => task?.tick(),
    };
    validateSampleOptions(options);
    refuseNonEmpty(outDir, flags.out, flags.force);
    // The kernel only for its progress line: no database is opened.
    const progress = (await this.kernel()).container.resolve<ProgressReporter>(Tokens.Progress);
    task = progress.start('sample', options.stores * options.days);
    const started = process.hrtime.bigint();
    const result = await generateSample(options);
    task?.done();
    const seconds = Number((process.hrtime.bigint() - started) / 1_000_000n) / 1000;
    const from = result.dates[0] ?? flags['end-date'];
    const to = result.dates[result.dates.length - 1] ?? flags['end-date'];
    this.log(
      `Wrote ${result.files.length.toLocaleString('en-AU')} file(s), ${result.records.toLocaleString('en-AU')} records (${result.stores} stores, ${result.products.toLocaleString('en-AU')} products, ${from === to ? from : `${from} to ${to}`}) to ${outDir} in ${seconds.toFixed(1)}s.`,
    );
    return {
      outDir,
      seed: flags.seed,
      files: result.files.map((f) => path.basename(f)),
      records: result.records,
      stores: result.stores,
      products: result.products,
      dates: { from, to },
      storeList: result.storeList,
      seconds,
    };
  }
}

/** A flag's share as a number, or a usage error naming the text given. */
function share(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isNaN(value)) throw new UsageError(`--${flag} must be a number such as 0.005 (for 0.5%), not ${JSON.stringify(text)}.`);
  return value;
}

function parseCompanies(text: readonly string[]): SampleCompany[] {
  const names = [...new Set(text.map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))];
  if (names.length === 0) throw new UsageError(`--companies must name at least one of ${SAMPLE_COMPANIES.join(', ')}.`);
  for (const name of names) {
    if (!(SAMPLE_COMPANIES as readonly string[]).includes(name)) {
      throw new UsageError(`--companies: unknown company ${JSON.stringify(name)}; use ${SAMPLE_COMPANIES.join(', ')}.`);
    }
  }
  return names as SampleCompany[];
}

/** Refuses an existing file, or a directory with entries unless --force. */
function refuseNonEmpty(dir: string, given: string, force: boolean): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UsageError(`--out ${given} is a file, not a directory; choose a new or empty directory.`);
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(
      `--out ${given} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose a new or empty directory, or add --force to write into it (files with the same names are overwritten).`,
    );
  }
}
