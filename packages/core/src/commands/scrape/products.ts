import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { Tokens } from '../../context/tokens.js';
import type { Clock } from '../../context/clock.js';
import type { ProgressReporter } from '../../context/progress.js';
import { fetchFlags, politenessOf, withSavedSession } from '../../scrape/fetch-flags.js';
import { scraperFor } from '../../scrape/scraper-lookup.js';
import { scrapeStore, type StoreScrapeResult } from '../../scrape/scrape-store.js';
import { describeStoreScrape, exitCodeOf } from '../../scrape/store-scrape-text.js';
import { localDate } from '../../scrape/scrape-worker.js';
import { canonicalStoreId, registryStore, storeRefFor } from '../../scrape/store-ref.js';

export default class ScrapeProducts extends TrolleyCommand<typeof ScrapeProducts> {
  static override summary = "Scrape one store's product listing into a record file ready for import.";
  static override description = `The installed scraper of the company discovers the store's categories and fetches their listing pages, politely (one request at a time, --delay apart plus --jitter, Retry-After honoured, errors retried with backoff). Every finished category is kept at once in a state file beside the record file, so a stopped or killed run resumes with the categories not yet done (a rerun on the same day). The record file, <outbox>/<company>/<company>-<store>-<id>-<date>.jsonl.gz, holds each product once. When a category could not be finished the file is still written with what was had, marked partial in its metadata (with the failed categories): the import then only adds and updates prices, never deletes; the command exits 6 (run again to fetch just those) or 4 when the site blocked the scraper (start a browser session with trolley scrape session, or pass --cookies from one, and run again).`;
  static override examples = [
    '<%= config.bin %> scrape products --company aldi --store G147',
    '<%= config.bin %> scrape products --company woolworths --store 1044 --outbox scrapes --categories fruit-veg,bakery',
    '<%= config.bin %> scrape products --company coles --store COL:584 --cookies cookies.txt --json',
  ];
  static override flags = {
    company: Flags.string({ description: 'The chain (aldi, coles, iga, woolworths, or one a plugin adds).', required: true }),
    store: Flags.string({ description: "The company's own store id (G147, COL:584 or the site's 0584, 1044, 32600); records get the store registry's form (COL:584).", required: true }),
    outbox: Flags.string({ description: 'Where record files go, in a folder per company (default: TROLLEY_HOME/inbox, which the pipeline reads).' }),
    categories: Flags.string({ description: 'Only these categories (keys or names, comma-separated); the file is then marked partial.' }),
    'store-name': Flags.string({ description: "The store's name in the records (default: the store registry's, else '<company> store <id>')." }),
    state: Flags.string({ description: "The store's state in the records (default: the store registry's)." }),
    'dry-run': Flags.boolean({ description: 'Say what would be fetched and where it would go; fetch and write nothing.' }),
    ...fetchFlags,
  };

  async run(): Promise<StoreScrapeResult> {
    const flags = this.flags;
    const politeness = politenessOf(flags);
    const kernel = await this.kernel();
    const registry = await kernel.extensions();
    const scraper = await scraperFor(registry, kernel.container, flags.company, 'products');
    const storeId = canonicalStoreId(scraper, flags.store);
    let known;
    // The registry is read from a server, or from an embedded database that exists already: a
    // listing scrape never creates one (the embedded engine alone would triple the worker's memory).
    const hasRegistry = kernel.database.kind === 'postgres' || fs.existsSync(path.join(kernel.config.home, 'db'));
    if ((!flags['store-name'] || !flags.state) && hasRegistry) {
      known = await registryStore(await kernel.knex(), scraper.company, storeId);
      // The database is not needed while pages are fetched: let other trolley commands have it.
      if (kernel.database.kind === 'embedded') await kernel.database.close();
    }
    const store = storeRefFor(scraper.company, storeId, { name: flags['store-name'], state: flags.state }, known);
    const clock = kernel.container.resolve<Clock>(Tokens.Clock);
    const result = await scrapeStore({
      store,
      date: localDate(clock.now()),
      outbox: path.resolve(flags.outbox ?? path.join(kernel.config.home, 'inbox')),
      categories: flags.categories?.split(',').map((c) => c.trim()).filter(Boolean),
      dryRun: flags['dry-run'],
      lister: scraper.products!,
      politeness: withSavedSession(politeness, kernel.config.home, scraper.company, kernel.logger),
      stateDir: path.resolve(flags['state-dir'] ?? path.join(kernel.config.home, 'scrape')),
      logger: kernel.logger,
      progress: kernel.container.resolve<ProgressReporter>(Tokens.Progress),
    });
    this.log(describeStoreScrape(result));
    if (result.message && !this.jsonEnabled() && result.status !== 'already-done') process.stderr.write(`trolley: ${result.message}\n`);
    return this.finish(result, exitCodeOf(result));
  }
}
