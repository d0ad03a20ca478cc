import fs from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { Tokens } from '../../context/tokens.js';
import type { ProgressReporter } from '../../context/progress.js';
import { ExitCode, InputError, UsageError } from '../../errors.js';
import type { BarcodeFetcher } from '../../extensions/api.js';
import { importFiles } from '../../import/import-files.js';
import { findScrapeFilesIn, nothingFound } from '../../import/find-scrape-files.js';
import { companyOfFile } from '../../scrape/file-company.js';
import { cookiesOf, readCookieFile } from '../../scrape/cookies.js';
import { parseDuration } from '../../cli/duration.js';
import { emptyCounts, enrichFile, type EnrichCounts, type FileEnrichment } from '../../scrape/enrich-file.js';
import { prefillBarcodes } from '../../scrape/prefill.js';
import { knownBarcodes } from '../../export/known-barcodes.js';
import { DEV_API_URL, ExportClient } from '../../export/client.js';

export interface ScrapeBarcodesResult {
  files: FileEnrichment[];
  totals: EnrichCounts & { files: number; done: number; invalid: number; incomplete: number; blocked: number; stopped: number; importFailed: number; notStarted: number };
  dryRun: boolean;
  /** Files of companies no installed scraper fetches barcodes for: left as they are. */
  skipped: Array<{ file: string; company: string }>;
  /** Set when there was nothing to enrich: the sentence saying where was searched. */
  nothingFound?: string;
  /** Set when a site blocked the scraper: how to resume. */
  blocked?: { file: string; url: string; reason: string; resume: string };
}

export const DEFAULT_USER_AGENT = 'trolley/0.1 (grocery price research; set a contact with --user-agent or TROLLEY_SCRAPE_USER_AGENT)';

export default class ScrapeBarcodes extends TrolleyCommand<typeof ScrapeBarcodes> {
  static override summary = 'Add barcodes to scrape files from the product pages of the site (Coles: docs/barcodes.md).';
  static override description = `Each file (named, or every .jsonl/.jsonl.gz in --inbox and its sub-folders, hidden ones and an --outbox inside it left out) is checked whole before any page is fetched. Files of companies that no installed scraper fetches barcodes for are skipped and left as they are, with one info line; nothing to enrich is said in one sentence (exit 0), unless only named files were left out that way (exit 3). Records that already have a valid barcode or no page address are kept as they are; records whose product the database already knows with a barcode (by the company's SKU, else by product key) are prefilled; the rest are fetched, politely (one request at a time, --delay apart, Retry-After honoured, errors retried with backoff), by the installed scraper of the file's company. Every finished record is appended at once to <file>.progress, so a run that is stopped or killed resumes where it was. When every record is finished the enriched file (same lines, barcodes filled in) goes to --outbox and/or is imported (--import), then the source and its progress file are removed. A page that fails after the retries keeps the file and its progress (exit 6: run again); when every one of the first pages (up to 10) fails, as with a wrong --base-url that answers 404 everywhere, the run stops with nothing recorded or removed (exit 5); a site that blocks the scraper stops the run (exit 4) with the state kept: start a browser session (trolley scrape session) or pass fresh browser cookies with --cookies, and run again.`;
  static override examples = [
    '<%= config.bin %> scrape barcodes --inbox scrapes/coles --outbox scrapes/enriched',
    '<%= config.bin %> scrape barcodes coles-0584-2025-09-28.jsonl.gz --import --cookies cookies.txt',
    '<%= config.bin %> scrape barcodes --inbox scrapes/coles --dry-run --json',
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'Scrape files or folders of them (or use --inbox).' }) };
  static override flags = {
    inbox: Flags.string({ description: 'A folder whose .jsonl and .jsonl.gz files (sub-folders too) are enriched.' }),
    outbox: Flags.string({ description: 'Where enriched files are written (same file names).' }),
    import: Flags.boolean({ description: 'Import each enriched file into the database (after writing it to --outbox, if given).' }),
    delay: Flags.string({ description: 'Least time between two requests (2s, 500ms, 0).', default: '2s' }),
    concurrency: Flags.integer({ description: 'Requests in flight at once.', default: 1, min: 1, max: 32 }),
    'max-retries': Flags.integer({ description: 'Retries of a page after a network error, a timeout, a 5xx or a 429.', default: 3, min: 0, max: 20 }),
    'retry-backoff': Flags.string({ description: 'Wait before the first retry, doubled for each further one, unless the site sent Retry-After.', default: '2s' }),
    timeout: Flags.string({ description: 'Give up on one request after this long.', default: '30s' }),
    cookies: Flags.string({ description: 'Cookies of a browser session on the site: a Netscape cookie file (each cookie goes only to its own domain and path, Secure ones over https only, expired ones never) or a "Cookie: ..." header line (sent to the pages of the run); default: the session trolley scrape session saved for the company of each file, if any.' }),
    'user-agent': Flags.string({ description: 'User agent sent with every request; put a contact in it.', env: 'TROLLEY_SCRAPE_USER_AGENT' }),
    'base-url': Flags.string({ description: "Fetch product pages from this origin instead of the one in the records (a mirror or a test server).", env: 'TROLLEY_SCRAPE_BASE_URL' }),
    'state-dir': Flags.string({ description: "Scratch folder for the crawler's state (default: TROLLEY_HOME/scrape)." }),
    prefill: Flags.boolean({ description: 'Take barcodes the database already knows instead of fetching their pages (--no-prefill fetches every page).', default: true, allowNo: true }),
    'api-url': Flags.string({ description: 'Prefill from the export API of a trolley serve at this address instead of the local database (key: TROLLEY_API_KEY).', exclusive: ['dev'] }),
    dev: Flags.boolean({ description: `Prefill from a trolley serve on this machine (${DEV_API_URL}).`, exclusive: ['api-url'] }),
    'dry-run': Flags.boolean({ description: 'Check the files and report what would be fetched; fetch and write nothing.' }),
  };

  async run(): Promise<ScrapeBarcodesResult> {
    const { argv } = await this.parse(ScrapeBarcodes);
    const flags = this.flags;
    const given = [...(argv as string[]), ...(flags.inbox ? [flags.inbox] : [])];
    if (given.length === 0) throw new UsageError('Name the scrape files to enrich, or a folder of them with --inbox.');
    if (!flags['dry-run'] && !flags.outbox && !flags.import) throw new UsageError('Say where enriched files go: --outbox DIR, --import, or both.');
    const outbox = flags.outbox === undefined ? undefined : path.resolve(flags.outbox);
    if (outbox !== undefined) {
      const inside = given.find((dir) => isFolder(dir) && !path.relative(outbox, path.resolve(dir)).startsWith('..'));
      if (inside) throw new UsageError(`--outbox ${flags.outbox} is ${path.resolve(inside) === outbox ? '' : 'a folder above '}the inbox ${inside}; give an outbox other than the inbox.`);
    }
    // An outbox or a --state-dir inside the inbox is not searched: their files are this command's own.
    const notScrapes: string[] = [];
    const own = [outbox, flags['state-dir']].filter((dir): dir is string => dir !== undefined);
    const found = (await findScrapeFilesIn(given, (_file, why) => notScrapes.push(why), { exclude: own })).filter((file) => !/\.rejects\.jsonl$/i.test(file));
    if (outbox !== undefined) {
      const clash = found.find((file) => path.dirname(path.resolve(file)) === outbox);
      if (clash) throw new UsageError(`--outbox ${flags.outbox} is the folder of ${clash}; give an outbox other than the inbox.`);
    }
    const baseUrl = flags['base-url'];
    if (baseUrl !== undefined && !/^https?:\/\/[^/]+/i.test(baseUrl)) throw new UsageError(`--base-url ${baseUrl} is not an http(s) address; write it like https://www.coles.com.au.`);
    const cookies = flags.cookies ? readCookieFile(flags.cookies) : undefined;
    const fetch = {
      delayMs: parseDuration(flags.delay, 'delay'),
      concurrency: flags.concurrency,
      maxRetries: flags['max-retries'],
      retryBackoffMs: parseDuration(flags['retry-backoff'], 'retry-backoff'),
      requestTimeoutMs: Math.max(1, parseDuration(flags.timeout, 'timeout')),
      userAgent: flags['user-agent'] ?? DEFAULT_USER_AGENT,
      cookiesFor: cookies?.headerFor,
    };

    const kernel = await this.kernel();
    const logger = kernel.logger;
    for (const why of notScrapes) logger.warn(why);
    if (cookies) {
      const where = cookies.domains.length > 0 ? `, each sent only to its own site (${cookies.domains.length} domain(s))` : ', sent with every page of this run';
      logger.info({ cookies: cookies.count, expired: cookies.expired, domains: cookies.domains }, `using ${cookies.count} cookie(s) from ${flags.cookies}${where}${cookies.expired ? `; ${cookies.expired} expired one(s) left out` : ''}`);
    }
    const registry = await kernel.extensions();
    // Files of companies no installed scraper fetches barcodes for are skipped, never touched (a mixed inbox).
    const served = (await registry.all('Scraper', kernel.container)).filter(({ extension }) => extension.capabilities.includes('barcodes') && extension.barcodes).map(({ extension }) => extension.company.toLowerCase());
    const files: string[] = [];
    const skipped: ScrapeBarcodesResult['skipped'] = [];
    for (const file of found) {
      const company = await companyOfFile(file);
      // A file whose company cannot be read is enriched: its check says what is wrong with it.
      if (company === undefined || served.includes(company)) files.push(file);
      else skipped.push({ file, company });
    }
    if (skipped.length > 0) {
      const named = skipped.filter(({ file }) => given.includes(file));
      if (files.length === 0 && named.length > 0) {
        throw new InputError(`No installed scraper can fetch ${named[0]!.company} barcodes (${named[0]!.file})${served.length > 0 ? `; only ${served.join(', ')}` : ''}: name files of ${served.length > 0 ? served.join(' or ') : 'a company whose scraper plugin is installed'}, or install a plugin that fetches ${named[0]!.company} barcodes (trolley plugins install NAME).`, 'no-scraper');
      }
      logger.info({ skipped: skipped.length, companies: countBy(skipped.map(({ company }) => company)) }, skippedSentence(skipped, served));
    }
    if (files.length === 0) {
      const sentence = found.length === 0 ? nothingFound(given) : `Nothing to enrich: every scrape file in ${given.join(', ')} is of a company whose barcodes no installed scraper fetches${served.length > 0 ? ` (only ${served.join(', ')})` : ''}.`;
      logger.warn(sentence);
      return this.finish({ ...resultOf([], flags['dry-run'], skipped), nothingFound: sentence }, ExitCode.ok);
    }
    const fetchers = new Map<string, BarcodeFetcher>();
    const fetcherFor = async (company: string): Promise<BarcodeFetcher> => {
      if (!fetchers.has(company)) {
        const scrapers = await registry.all('Scraper', kernel.container);
        const found = scrapers.find(({ extension }) => extension.company.toLowerCase() === company && extension.capabilities.includes('barcodes') && extension.barcodes);
        if (!found) {
          const able = scrapers.filter(({ extension }) => extension.barcodes).map(({ extension }) => extension.company);
          throw new InputError(
            `No installed scraper can fetch ${company} barcodes${able.length > 0 ? ` (only ${able.join(', ')})` : ''}; install a plugin that provides one (trolley plugins install NAME).`,
            'no-scraper',
          );
        }
        const fetcher = found.extension.barcodes!;
        // Without --cookies: the browser session trolley scrape session saved for the company, if any.
        const saved = cookies ? undefined : cookiesOf(undefined, kernel.config.home, company);
        if (saved) logger.info({ cookies: saved.source.count, file: saved.file }, `using the ${company} browser session saved in ${saved.file} (${saved.source.count} cookie(s), each sent only to its own site)`);
        fetchers.set(company, saved ? { defaultBaseUrl: fetcher.defaultBaseUrl, fetch: (items, options) => fetcher.fetch(items, { ...options, cookiesFor: saved.source.headerFor }) } : fetcher);
      }
      return fetchers.get(company)!;
    };
    const apiUrl = flags.dev ? DEV_API_URL : flags['api-url'];
    if (apiUrl !== undefined && !/^https?:\/\/[^/]+/i.test(apiUrl)) throw new UsageError(`--api-url ${apiUrl} is not an http(s) address; write it like http://127.0.0.1:8787.`);
    const api = apiUrl === undefined ? undefined : new ExportClient({ baseUrl: apiUrl, apiKey: process.env.TROLLEY_API_KEY });
    const needsDatabase = (flags.prefill && api === undefined) || flags.import;
    const knex = needsDatabase ? () => kernel.knex() : undefined;
    const progress = kernel.container.resolve<ProgressReporter>(Tokens.Progress);
    const options = {
      outbox: flags.outbox,
      dryRun: flags['dry-run'],
      baseUrl,
      fetch,
      stateDir: path.resolve(flags['state-dir'] ?? path.join(kernel.config.home, 'scrape')),
      logger,
      progress,
      fetcherFor,
      prefill: !flags.prefill ? undefined : api ? (company: string, wanted: Parameters<typeof prefillBarcodes>[2]) => prefillBarcodes((query) => api.barcodes(query), company, wanted) : knex ? async (company: string, wanted: Parameters<typeof prefillBarcodes>[2]) => {
        const database = await knex();
        const found = await prefillBarcodes((query) => knownBarcodes(database, query), company, wanted);
        // Without --import the database is not needed again: let other trolley commands have it while pages are fetched.
        if (!flags.import && kernel.database.kind === 'embedded') await kernel.database.close();
        return found;
      } : undefined,
      importFile: flags.import && knex && !flags['dry-run']
        ? async (file: string) => {
            const [report] = await importFiles(await knex(), [file], {});
            if (!report || report.mode === 'failed') return report?.message ?? `${file} could not be imported`;
            logger.info({ file, mode: report.mode, inserted: report.rows.inserted, updated: report.rows.updated }, `imported ${path.basename(file)} (${report.mode})`);
            return undefined;
          }
        : undefined,
    };

    const reports: FileEnrichment[] = [];
    let stop: false | 'blocked' | 'stopped' = false;
    for (const file of files) {
      if (stop) {
        reports.push({ file, status: 'not-started', counts: emptyCounts(), message: `not started: the run stopped at a ${stop} file`, seconds: 0 });
        continue;
      }
      const report = await enrichFile(file, options);
      reports.push(report);
      if (report.status === 'blocked' || report.status === 'stopped') stop = report.status;
    }
    const result = resultOf(reports, flags['dry-run'], skipped);
    for (const report of reports) this.log(describe(report));
    const t = result.totals;
    this.log(
      `${flags['dry-run'] ? 'Dry run: would fetch' : 'Fetched'} ${flags['dry-run'] ? t.toFetch : t.found + t.none + t.failed} page(s) for ${t.files} file(s): ${t.found} barcode(s) found, ${t.none} without, ${t.failed} failed, ${t.prefilled} prefilled, ${t.skipped} skipped, ${t.resumed} finished earlier; ${t.done} file(s) done.`,
    );
    // What went wrong, one sentence per file on stderr (with --json it is in the result).
    if (!this.jsonEnabled()) {
      for (const report of reports) {
        if (report.status === 'blocked' && result.blocked) process.stderr.write(`trolley: ${result.blocked.resume}\n`);
        else if (report.message && report.status !== 'not-started') process.stderr.write(`trolley: ${report.message}\n`);
      }
    }
    if (result.blocked) return this.finish(result, ExitCode.blocked);
    const exitCode = t.stopped > 0 ? ExitCode.unavailable : t.invalid > 0 || t.importFailed > 0 ? ExitCode.input : t.incomplete > 0 ? ExitCode.incomplete : ExitCode.ok;
    return this.finish(result, exitCode);
  }
}

function isFolder(given: string): boolean {
  try {
    return fs.statSync(given).isDirectory();
  } catch {
    return false;
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function skippedSentence(skipped: ScrapeBarcodesResult['skipped'], served: readonly string[]): string {
  const companies = Object.entries(countBy(skipped.map(({ company }) => company)))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([company, n]) => `${company} ${n}`)
    .join(', ');
  return `skipped ${skipped.length} file(s) of companies whose barcodes no installed scraper fetches (${companies}; barcodes are fetched for ${served.length > 0 ? served.join(', ') : 'no company'}); they were left as they are`;
}

function resultOf(files: FileEnrichment[], dryRun: boolean, skipped: ScrapeBarcodesResult['skipped']): ScrapeBarcodesResult {
  const counts = emptyCounts();
  for (const f of files) for (const key of Object.keys(counts) as Array<keyof EnrichCounts>) counts[key] += f.counts[key];
  const count = (status: FileEnrichment['status']) => files.filter((f) => f.status === status).length;
  const blockedFile = files.find((f) => f.status === 'blocked');
  return {
    files,
    totals: { ...counts, files: files.length, done: count('done'), invalid: count('invalid'), incomplete: count('incomplete'), blocked: count('blocked'), stopped: count('stopped'), importFailed: count('import-failed'), notStarted: count('not-started') },
    dryRun,
    skipped,
    ...(blockedFile?.blocked
      ? {
          blocked: {
            file: blockedFile.file,
            ...blockedFile.blocked,
            resume: `${blockedFile.message} To resume: run trolley scrape session --company ${blockedFile.company ?? 'COMPANY'} (a browser passes the site's check and its cookies are saved), or export a browser session's cookies (a Netscape cookie file, or the "Cookie:" request header line) and pass them with --cookies FILE; then run the same command again; finished records are not fetched again.`,
          },
        }
      : {}),
  };
}

function describe(r: FileEnrichment): string {
  const c = r.counts;
  const detail = `${c.found} found, ${c.none} none, ${c.failed} failed, ${c.prefilled} prefilled, ${c.skipped} skipped, ${c.resumed} earlier${c.rejected ? `, ${c.rejected} bad check digit(s)` : ''}`;
  switch (r.status) {
    case 'done':
      return `done ${r.file}: ${detail}${r.output ? ` → ${r.output}` : ''}${r.imported ? ' (imported)' : ''}`;
    case 'dry-run':
      return `would fetch ${c.toFetch} page(s) of ${r.file} (${c.resumed} finished earlier, ${c.skipped} skipped, ${c.prefilled} prefilled)`;
    case 'invalid':
      return `invalid ${r.file}`;
    default:
      return `${r.status} ${r.file}: ${detail}`;
  }
}
