import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import type { Clock } from '../../context/clock.js';
import type { ProgressReporter } from '../../context/progress.js';
import { Tokens } from '../../context/tokens.js';
import { ExitCode, InputError } from '../../errors.js';
import { importFiles } from '../../import/import-files.js';
import { parseDuration } from '../../cli/duration.js';
import { fetchFlags, politenessOf, withSavedSession } from '../../scrape/fetch-flags.js';
import { scraperFor } from '../../scrape/scraper-lookup.js';
import { runWorker, type WorkerResult } from '../../scrape/scrape-worker.js';
import { describeStoreScrape } from '../../scrape/store-scrape-text.js';

export default class ScrapeRun extends TrolleyCommand<typeof ScrapeRun> {
  static override summary = 'Work through the scrape queue: claim a store, list its products, write (and import) the file, repeat.';
  static override description = `Workers on several machines can share one PostgreSQL database with no coordinator: each store is claimed in one statement (no two workers get the same store), scraped as "scrape products" does, then completed, which keeps it out of the queue for --claim-timeout. A worker that is stopped (Ctrl-C, SIGTERM) gives its store back; one that is killed loses its claim when --claim-timeout passes. Order: anchors flagged for re-scrape, never-scraped stores, then the longest since scraped (the store registry: stores import, scrape stores). The loop ends when no store is free or --limit stores are done; a blocked site stops it (exit 4) and gives the store back.`;
  static override examples = ['<%= config.bin %> scrape run --worker box-1 --company aldi --limit 10 --import', '<%= config.bin %> scrape run --worker box-2 --outbox /srv/inbox --json'];
  static override flags = {
    worker: Flags.string({ description: 'A name for this worker, recorded with its claims.', required: true }),
    company: Flags.string({ description: 'Only stores of this company.' }),
    limit: Flags.integer({ description: 'Stop after this many stores.', default: 1, min: 1, max: 100_000 }),
    import: Flags.boolean({ description: 'Import each written file into the database (partial files only upsert).' }),
    'claim-timeout': Flags.string({ description: 'How long a claim lasts: a killed worker loses its store after this, and a scraped store stays out of the queue this long.', default: '2h' }),
    outbox: Flags.string({ description: 'Where record files go (default: TROLLEY_HOME/inbox).' }),
    ...fetchFlags,
  };

  async run(): Promise<WorkerResult> {
    const flags = this.flags;
    const politeness = politenessOf(flags);
    const claimMs = parseDuration(flags['claim-timeout'], 'claim-timeout');
    const kernel = await this.kernel();
    const registry = await kernel.extensions();
    const queues = await registry.all('ScrapeQueue', kernel.container);
    if (queues.length === 0) throw new InputError('No scrape queue is installed; install the grouping plugin (trolley plugins install @trolley/plugin-grouping), which keeps it.', 'no-scrape-queue');
    if (flags.company) await scraperFor(registry, kernel.container, flags.company, 'products');
    const knex = await kernel.knex();
    const clock = kernel.container.resolve<Clock>(Tokens.Clock);
    let release: (() => Promise<void>) | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      const exit = () => process.exit(signal === 'SIGINT' ? 130 : 143);
      if (release) void release().then(exit, exit);
      else exit();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const result = await runWorker({
      worker: flags.worker,
      company: flags.company,
      // Without --company, only stores a scraper here can list: another chain's store stays free for a worker that can.
      companies: flags.company ? undefined : (await registry.all('Scraper', kernel.container)).filter(({ extension }) => extension.capabilities.includes('products') && extension.products).map(({ extension }) => extension.company.toLowerCase()),
      limit: flags.limit,
      claimMs,
      outbox: path.resolve(flags.outbox ?? path.join(kernel.config.home, 'inbox')),
      queue: queues[0]!.extension,
      scraperFor: (company) => scraperFor(registry, kernel.container, company, 'products'),
      politeness: (company) => withSavedSession(politeness, kernel.config.home, company, kernel.logger),
      stateDir: path.resolve(flags['state-dir'] ?? path.join(kernel.config.home, 'scrape')),
      now: () => clock.now(),
      logger: kernel.logger,
      progress: kernel.container.resolve<ProgressReporter>(Tokens.Progress),
      importFile: flags.import
        ? async (file) => {
            const [report] = await importFiles(knex, [file], {});
            return !report || report.mode === 'failed' ? (report?.message ?? `${file} could not be imported`) : undefined;
          }
        : undefined,
      onHolding: (fn) => (release = fn),
    });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const store of result.stores) this.log(`${describeStoreScrape(store)}${store.imported ? ' Imported.' : store.importFailure ? ` Import failed: ${store.importFailure}` : ''}`);
    this.log(`${flags.worker}: ${result.stores.length} store(s) scraped; ${result.stopped === 'queue-empty' ? 'no store is free' : result.stopped === 'blocked' ? 'stopped: the site blocked the scraper' : result.stopped === 'unavailable' ? 'stopped: the site could not be reached' : `the limit of ${flags.limit} is reached`}.`);
    if (!this.jsonEnabled()) for (const store of result.stores) if (store.message && store.status !== 'done') process.stderr.write(`trolley: ${store.message}\n`);
    const code = result.stopped === 'blocked' ? ExitCode.blocked : result.stopped === 'unavailable' ? ExitCode.unavailable : result.stores.some((s) => s.status === 'partial' || s.status === 'empty' || s.importFailure) ? ExitCode.incomplete : ExitCode.ok;
    return this.finish(result, code);
  }
}
