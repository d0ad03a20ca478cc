/**
 * `trolley scrape run`: one worker's loop over the shared scrape queue. Claim a store (an atomic
 * claim in the database: no other worker gets it), list its products into the outbox
 * ({@link scrapeStore}), import the file if asked, then complete the claim; until the queue has no
 * free store or `limit` stores are done. A blocked site stops the worker and gives the store back;
 * a stopped worker (SIGINT/SIGTERM) gives back the store it holds; a killed one loses its claim
 * when the claim expires.
 */
import type { Logger } from 'pino';
import type { ProgressReporter } from '../context/progress.js';
import type { ScrapeClaim, ScrapeQueue, Scraper } from '../extensions/api.js';
import type { Politeness } from './fetch-flags.js';
import { scrapeStore, type StoreScrapeResult } from './scrape-store.js';
import { storeRefFor } from './store-ref.js';

export interface WorkerOptions {
  readonly worker: string;
  readonly company?: string | undefined;
  /** Without `company`: the companies whose installed scraper lists products (no other store is claimed). */
  readonly companies?: readonly string[] | undefined;
  readonly limit: number;
  readonly claimMs: number;
  readonly outbox: string;
  readonly queue: ScrapeQueue;
  /** The installed scraper of a company with the `products` capability (an InputError when none). */
  readonly scraperFor: (company: string) => Promise<Scraper>;
  /** How to fetch a company's pages (its saved browser session, if any). */
  readonly politeness: (company: string) => Politeness;
  readonly stateDir: string;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  /** Imports a written record file; resolves to a failure sentence, or undefined when it landed. */
  readonly importFile?: ((file: string) => Promise<string | undefined>) | undefined;
  /** Called with a function that gives back the store in hand (for a signal handler). */
  readonly onHolding?: (release: (() => Promise<void>) | undefined) => void;
}

export interface WorkedStore extends StoreScrapeResult {
  readonly claim: ScrapeClaim;
  readonly imported?: boolean;
  readonly importFailure?: string;
}

export interface WorkerResult {
  readonly worker: string;
  readonly stores: WorkedStore[];
  /** Why the loop ended. */
  readonly stopped: 'queue-empty' | 'limit' | 'blocked' | 'unavailable';
}

export async function runWorker(options: WorkerOptions): Promise<WorkerResult> {
  const stores: WorkedStore[] = [];
  let stopped: WorkerResult['stopped'] = 'limit';
  while (stores.length < options.limit) {
    const claim = await options.queue.claim({ worker: options.worker, company: options.company, companies: options.company === undefined ? options.companies : undefined, now: options.now(), claimMs: options.claimMs });
    if (!claim) {
      stopped = 'queue-empty';
      break;
    }
    options.onHolding?.(() => options.queue.release(claim, options.worker));
    options.logger.info({ worker: options.worker, company: claim.company, store: claim.code, reason: claim.reason, until: claim.until }, `${options.worker} claimed ${claim.company} store ${claim.code} (${claim.reason})`);
    let result: StoreScrapeResult;
    try {
      const scraper = await options.scraperFor(claim.company);
      result = await scrapeStore({
        store: storeRefFor(claim.company, claim.code, {}, { name: claim.name, state: claim.state }),
        date: localDate(options.now()),
        outbox: options.outbox,
        dryRun: false,
        lister: scraper.products!,
        politeness: options.politeness(claim.company),
        stateDir: options.stateDir,
        logger: options.logger,
        progress: options.progress,
      });
    } catch (error) {
      await options.queue.release(claim, options.worker);
      options.onHolding?.(undefined);
      throw error;
    }
    let worked: WorkedStore = { ...result, claim };
    if (options.importFile && result.written && (result.status === 'done' || result.status === 'partial')) {
      const failure = await options.importFile(result.file);
      worked = { ...worked, imported: failure === undefined, ...(failure ? { importFailure: failure } : {}) };
    }
    stores.push(worked);
    if (result.status === 'blocked' || result.status === 'unavailable') {
      // Another worker (another address, fresher cookies, a working network) may get further, and
      // the next store would meet the same wall: give the store back and stop.
      await options.queue.release(claim, options.worker);
      options.onHolding?.(undefined);
      stopped = result.status;
      break;
    }
    await options.queue.complete(claim, options.worker, options.now());
    options.onHolding?.(undefined);
  }
  return { worker: options.worker, stores, stopped };
}

/** The day of `now` in the machine's time zone. */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
