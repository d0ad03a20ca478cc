/**
 * `scrape stores`: a chain's store locations through its scraper's `stores` capability, each store
 * once (a locator asked over a grid names stores many times), written as a store list (the format
 * `stores import` reads) and/or imported into the registry. What was had is written even when some
 * requests failed (exit 6) or the site blocked the scraper (exit 4).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ListedStore, StoreLister } from '../extensions/api.js';
import { importStores, type StoreImportReport } from '../stores/store-registry.js';
import type { StoreLine } from '../stores/store-lines.js';
import type { Politeness } from './fetch-flags.js';
import { writeLinesAtomically } from './record-file.js';

export interface StoresScrapeOptions {
  readonly company: string;
  readonly lister: StoreLister;
  readonly politeness: Politeness;
  readonly gridStep?: number | undefined;
  readonly out?: string | undefined;
  readonly knex?: (() => Promise<Knex>) | undefined;
  readonly dryRun: boolean;
  readonly stateDir: string;
  readonly logger: Logger;
}

export interface StoresScrapeResult {
  readonly company: string;
  /** `unavailable`: no locator request answered (a site that is down or refuses connections); nothing written. */
  readonly status: 'done' | 'incomplete' | 'blocked' | 'unavailable' | 'dry-run';
  readonly stores: number;
  /** Store lines the locator answered (with repeats across grid points). */
  readonly seen: number;
  readonly out?: string;
  readonly imported?: StoreImportReport;
  readonly blocked?: { readonly url: string; readonly reason: string };
  readonly failed?: { readonly url: string; readonly reason: string };
  readonly message?: string;
  readonly statistics?: Readonly<Record<string, unknown>>;
}

export async function scrapeStores(options: StoresScrapeOptions): Promise<StoresScrapeResult> {
  const { company } = options;
  if (options.dryRun) return { company, status: 'dry-run', stores: 0, seen: 0, ...(options.out ? { out: options.out } : {}) };
  const byId = new Map<string, ListedStore>();
  let seen = 0;
  fs.mkdirSync(options.stateDir, { recursive: true });
  const storageDir = fs.mkdtempSync(path.join(options.stateDir, 'stores-'));
  let summary;
  try {
    summary = await options.lister.list({
      ...options.politeness,
      gridStep: options.gridStep,
      storageDir,
      logger: options.logger,
      onStores: (stores) => {
        seen += stores.length;
        for (const store of stores) if (!byId.has(store.store_id)) byId.set(store.store_id, store);
      },
    });
  } finally {
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
  const lines: StoreLine[] = [...byId.values()].sort((a, b) => a.store_id.localeCompare(b.store_id)).map((s) => ({ company, ...s, name: s.name || null }));
  if (options.out && lines.length > 0) writeLinesAtomically(options.out, lines.map((l) => JSON.stringify(l)));
  const imported = options.knex && lines.length > 0 ? await importStores(await options.knex(), lines) : undefined;
  const base = { company, stores: lines.length, seen, ...(options.out && lines.length > 0 ? { out: options.out } : {}), ...(imported ? { imported } : {}), statistics: summary.statistics };
  if (summary.blocked) {
    return { ...base, status: 'blocked', blocked: summary.blocked, message: `The site blocked the scraper at ${summary.blocked.url} (${summary.blocked.reason}); ${lines.length} ${company} store(s) found before that are kept. Start a browser session with trolley scrape session --company ${company} (where its scraper has one) or pass a browser session's cookies with --cookies FILE (or wait), and run again.` };
  }
  if (summary.failed && lines.length === 0) {
    return { ...base, status: 'unavailable', failed: summary.failed, message: `The ${company} store locator could not be reached: ${summary.failed.url} failed (${summary.failed.reason}) after the retries, and no request answered; nothing was written. Check the network (and --base-url, if given) and run again.` };
  }
  if (summary.failed) {
    return { ...base, status: 'incomplete', failed: summary.failed, message: `The ${company} store locator failed at ${summary.failed.url} (${summary.failed.reason}); ${lines.length} store(s) from the other requests are kept: run again to fill the gaps.` };
  }
  return { ...base, status: 'done' };
}
