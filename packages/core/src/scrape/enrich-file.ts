/**
 * Barcode enrichment of one scrape file (docs/barcodes.md): the work list (records with a valid barcode or
 * no page are skipped, finished ones come from the progress file, known products are prefilled from
 * the database), the fetch through the company's scraper with every finished record made durable
 * at once, then the output (outbox and/or import) and the removal of progress and source.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ProgressReporter } from '../context/progress.js';
import { isTrolleyError } from '../errors.js';
import type { BarcodeFetcher, BarcodeFetchOptions, BarcodeOutcome, BarcodeWorkItem } from '../extensions/api.js';
import { cleanBarcode } from '../normalise/barcode.js';
import { withBarcode } from './barcode-line.js';
import { FirstPagesWatch } from './first-pages.js';
import { prefillBarcodes, type Prefill, type PrefillWanted } from './prefill.js';
import { ProgressFile, progressFileOf, type ProgressEntry } from './progress-file.js';
import { writeLinesAtomically } from './record-file.js';
import { readSourceFile, type SourceFile, type SourceRecord } from './source-file.js';

export type FetchSettings = Omit<BarcodeFetchOptions, 'onOutcome' | 'storageDir' | 'logger' | 'checkBarcode'>;

export interface EnrichOptions {
  /** Where enriched files go; without it (and with `importFile`) they are imported from a scratch folder. */
  readonly outbox?: string | undefined;
  readonly dryRun: boolean;
  /** Replaces the origin of every product page address (a test server, a mirror). */
  readonly baseUrl?: string | undefined;
  readonly fetch: FetchSettings;
  /** Parent folder of this run's scratch folders (crawler state, files waiting for import). */
  readonly stateDir: string;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  /** The fetcher of the installed scraper of a company (an InputError when there is none). */
  readonly fetcherFor: (company: string) => Promise<BarcodeFetcher>;
  /** Known barcodes of the database, or undefined to fetch every record (`--no-prefill`). */
  readonly prefill?: ((company: string, wanted: readonly PrefillWanted[]) => Promise<Map<string, Prefill>>) | undefined;
  /** Imports the enriched file (`--import`); resolves to a failure sentence, or undefined when it landed. */
  readonly importFile?: ((file: string) => Promise<string | undefined>) | undefined;
}

/** `stopped`: every one of the first pages failed (a wrong --base-url, a site down); nothing was recorded or removed. */
export type EnrichStatus = 'done' | 'dry-run' | 'invalid' | 'incomplete' | 'blocked' | 'stopped' | 'import-failed' | 'not-started';

export interface EnrichCounts {
  /** Lines of the file. */
  records: number;
  /** Distinct SKUs. */
  products: number;
  /** Finished by an earlier run (in the progress file when this run started). */
  resumed: number;
  /** Had a valid barcode, or no page to fetch. */
  skipped: number;
  prefilled: number;
  found: number;
  none: number;
  failed: number;
  /** Barcodes on pages whose GS1 check digit was wrong (not stored). */
  rejected: number;
  /** Pages this run set out to fetch. */
  toFetch: number;
}

export interface FileEnrichment {
  readonly file: string;
  readonly status: EnrichStatus;
  readonly company?: string;
  readonly storeId?: string;
  readonly counts: EnrichCounts;
  /** The enriched file written to the outbox. */
  readonly output?: string;
  readonly imported?: boolean;
  readonly progressFile?: string;
  /** Why the file is not done: one sentence with the fix. */
  readonly message?: string;
  readonly blocked?: { readonly url: string; readonly reason: string };
  readonly statistics?: Readonly<Record<string, unknown>>;
  readonly seconds: number;
}

export function emptyCounts(): EnrichCounts {
  return { records: 0, products: 0, resumed: 0, skipped: 0, prefilled: 0, found: 0, none: 0, failed: 0, rejected: 0, toFetch: 0 };
}

export async function enrichFile(file: string, options: EnrichOptions): Promise<FileEnrichment> {
  const started = Date.now();
  const counts = emptyCounts();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  let source: SourceFile;
  try {
    source = await readSourceFile(file);
  } catch (error) {
    if (!isTrolleyError(error)) throw error;
    return { file, status: 'invalid', counts, message: error.message, seconds: seconds() };
  }
  const base = { file, company: source.company, storeId: source.storeId };
  counts.records = source.records.length;
  const fetcher = await options.fetcherFor(source.company);
  const progressPath = progressFileOf(file);
  const progress = ProgressFile.read(progressPath);
  const bySku = firstBySku(source.records);
  counts.products = bySku.size;

  const finished: ProgressEntry[] = [];
  const candidates: SourceRecord[] = [];
  for (const record of bySku.values()) {
    if (progress.entries.has(record.sku)) counts.resumed++;
    else if (record.barcode !== null) finished.push(entry(record, 'skipped', record.barcode, 'has-barcode'));
    else if (resolveUrl(record.url, options.baseUrl, fetcher.defaultBaseUrl) === null) finished.push(entry(record, 'skipped', null, record.url ? 'bad-url' : 'no-url'));
    else candidates.push(record);
  }
  counts.skipped = finished.length;
  const prefilled = options.prefill && candidates.length > 0 ? await options.prefill(source.company, candidates) : new Map<string, Prefill>();
  const work: BarcodeWorkItem[] = [];
  for (const record of candidates) {
    const known = prefilled.get(record.sku);
    if (known) finished.push(entry(record, 'prefilled', known.barcode, known.via));
    else work.push({ key: record.sku, url: resolveUrl(record.url, options.baseUrl, fetcher.defaultBaseUrl)! });
  }
  counts.prefilled = prefilled.size;
  counts.toFetch = work.length;
  options.logger.info(
    { file, records: counts.records, resumed: counts.resumed, skipped: counts.skipped, prefilled: counts.prefilled, toFetch: counts.toFetch },
    `${path.basename(file)}: ${counts.toFetch} page(s) to fetch (${counts.resumed} finished earlier, ${counts.skipped} skipped, ${counts.prefilled} prefilled)`,
  );
  if (options.dryRun) return { ...base, status: 'dry-run', counts, seconds: seconds() };

  let blocked: FileEnrichment['blocked'];
  let statistics: FileEnrichment['statistics'];
  const watch = new FirstPagesWatch<ProgressEntry>(work.length);
  const stopper = new AbortController();
  try {
    progress.append(finished);
    if (work.length > 0) {
      const task = options.progress.start(`barcodes ${path.basename(file)}`, work.length);
      const storageDir = fs.mkdtempSync(path.join(ensureDir(options.stateDir), 'crawl-'));
      try {
        const onOutcome = (outcome: BarcodeOutcome): Promise<void> | undefined => {
          task.tick();
          const record = bySku.get(outcome.key);
          if (!record || stopper.signal.aborted) return undefined;
          const barcode = outcome.status === 'found' ? outcome.barcode : null;
          const done = outcome.status === 'failed' ? undefined : entry(record, outcome.status, barcode, outcome.status === 'found' ? outcome.via : outcome.reason);
          const verdict = watch.observe(outcome, done!);
          if (verdict === 'stop') stopper.abort();
          if (outcome.status === 'failed') {
            counts.failed++;
            options.logger.warn({ sku: outcome.key, url: outcome.url }, `${outcome.url} failed: ${outcome.reason}`);
            return undefined;
          }
          if (outcome.status === 'found') counts.found++;
          else {
            counts.none++;
            if (outcome.rejected) {
              counts.rejected++;
              options.logger.warn({ sku: outcome.key, url: outcome.url, barcode: outcome.rejected }, `${outcome.url} shows barcode ${outcome.rejected}, whose check digit is wrong; not stored`);
            }
          }
          return verdict === 'commit' ? progress.commit([...watch.release(), done!]) : undefined;
        };
        const summary = await fetcher.fetch(work, { ...options.fetch, storageDir, logger: options.logger, checkBarcode: cleanBarcode, onOutcome, signal: stopper.signal });
        blocked = summary.blocked;
        statistics = summary.statistics;
      } finally {
        task.done();
        fs.rmSync(storageDir, { recursive: true, force: true });
      }
    }
  } finally {
    progress.close();
  }
  const common = { ...base, counts, progressFile: progressPath, statistics, seconds: seconds() };
  if (stopper.signal.aborted) {
    return {
      ...common,
      status: 'stopped',
      message: `The first ${watch.pagesSeen} product page(s) of ${path.basename(file)} all failed (${watch.describe()}), so the run stopped with nothing recorded and nothing removed; check --base-url (or that the site is up) and run again.`,
    };
  }
  if (blocked) {
    return {
      ...common,
      status: 'blocked',
      blocked,
      message: `The site blocked the scraper at ${blocked.url} (${blocked.reason}); ${progress.entries.size} of ${counts.products} product(s) are finished and kept in ${progressPath}.`,
    };
  }
  if (counts.failed > 0) {
    return {
      ...common,
      status: 'incomplete',
      message: `${counts.failed} page(s) of ${path.basename(file)} could not be fetched after the retries; the file and ${progressPath} are kept: run the same command again to fetch just those.`,
    };
  }
  return finish(source, progress, options, common);
}

/** Every record is finished: write the enriched file, import it if asked, then remove source and progress. */
async function finish(source: SourceFile, progress: ProgressFile, options: EnrichOptions, common: Omit<FileEnrichment, 'status'>): Promise<FileEnrichment> {
  const name = path.basename(source.file);
  const scratch = options.outbox === undefined ? fs.mkdtempSync(path.join(ensureDir(options.stateDir), 'import-')) : undefined;
  try {
    const output = path.join(options.outbox === undefined ? scratch! : ensureDir(options.outbox), name);
    writeEnriched(source, progress.entries, output);
    if (options.importFile) {
      const failure = await options.importFile(output);
      if (failure !== undefined) {
        if (scratch === undefined) fs.rmSync(output, { force: true });
        return { ...common, status: 'import-failed', message: `${failure} (the source file and ${progress.file} are kept)` };
      }
    }
    // The source goes first: a run killed between the two leaves a stray progress file, never a source without its progress.
    fs.rmSync(source.file);
    fs.rmSync(progress.file, { force: true });
    return { ...common, status: 'done', imported: options.importFile !== undefined, ...(scratch === undefined ? { output } : {}) };
  } finally {
    if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the enriched file beside its final name, fsyncs it, then renames it into place. */
function writeEnriched(source: SourceFile, entries: ReadonlyMap<string, ProgressEntry>, output: string): void {
  const lines = source.records.map((record) => {
    const done = entries.get(record.sku);
    if (!done) throw new Error(`${source.file}:${record.lineNo} (SKU ${record.sku}) is not finished; this is a bug.`);
    return done.outcome === 'skipped' ? record.text : withBarcode(record.text, done.barcode);
  });
  writeLinesAtomically(output, lines);
}

function entry(record: SourceRecord, outcome: ProgressEntry['outcome'], barcode: string | null, via: string): ProgressEntry {
  const enriched = outcome === 'skipped' ? record.text : withBarcode(record.text, barcode);
  return { sku: record.sku, outcome, barcode, via, record: JSON.parse(enriched) as unknown };
}

function firstBySku(records: readonly SourceRecord[]): Map<string, SourceRecord> {
  const bySku = new Map<string, SourceRecord>();
  for (const record of records) if (!bySku.has(record.sku)) bySku.set(record.sku, record);
  return bySku;
}

/**
 * The absolute page address of a record: relative addresses resolve against the scraper's site;
 * with a base URL, the address keeps its path and query and takes the base's origin (and path prefix).
 */
export function resolveUrl(url: string | null, baseUrl: string | undefined, defaultBaseUrl: string): string | null {
  if (!url) return null;
  let page: URL;
  try {
    page = new URL(url, defaultBaseUrl);
  } catch {
    return null;
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return null;
  if (baseUrl === undefined) return page.href;
  const base = new URL(baseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${page.pathname}${page.search}`;
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
