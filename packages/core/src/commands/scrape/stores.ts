import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { ExitCode, UsageError } from '../../errors.js';
import { fetchFlags, politenessOf, withSavedSession } from '../../scrape/fetch-flags.js';
import { scraperFor } from '../../scrape/scraper-lookup.js';
import { scrapeStores, type StoresScrapeResult } from '../../scrape/scrape-stores.js';

export default class ScrapeStores extends TrolleyCommand<typeof ScrapeStores> {
  static override summary = "Scrape a chain's store locations into a store list and/or the store registry.";
  static override description = `The installed scraper of the company asks the chain's store locator (over a grid of points across Australia where the locator answers for a place), politely as every scrape command does. Each store is kept once. --out writes the list in the format "stores import" reads; --import puts it in the registry (stores list --near). What was had is kept even when some requests failed (exit 6) or the site blocked the scraper (exit 4).`;
  static override examples = ['<%= config.bin %> scrape stores --company aldi --out aldi-stores.jsonl.gz', '<%= config.bin %> scrape stores --company woolworths --import --grid-step 2'];
  static override flags = {
    company: Flags.string({ description: 'The chain whose stores to find.', required: true }),
    out: Flags.string({ description: 'Write the stores here (.jsonl or .jsonl.gz).' }),
    import: Flags.boolean({ description: 'Put the stores in the store registry.' }),
    'grid-step': Flags.string({ description: "Degrees between the points the locator is asked at (the chain's default: 1)." }),
    'dry-run': Flags.boolean({ description: 'Check the flags and say what would happen; fetch and write nothing.' }),
    ...fetchFlags,
  };

  async run(): Promise<StoresScrapeResult> {
    const flags = this.flags;
    if (!flags.out && !flags.import && !flags['dry-run']) throw new UsageError('Say where the stores go: --out FILE, --import, or both.');
    const gridStep = flags['grid-step'] === undefined ? undefined : Number(flags['grid-step']);
    if (gridStep !== undefined && !(gridStep > 0 && gridStep <= 45)) throw new UsageError(`--grid-step ${flags['grid-step']} is not a step in degrees; give a number above 0, like 1 or 0.5.`);
    const politeness = politenessOf(flags);
    const kernel = await this.kernel();
    const scraper = await scraperFor(await kernel.extensions(), kernel.container, flags.company, 'stores');
    const result = await scrapeStores({
      company: scraper.company,
      lister: scraper.stores!,
      politeness: withSavedSession(politeness, kernel.config.home, scraper.company, kernel.logger),
      gridStep,
      out: flags.out ? path.resolve(flags.out) : undefined,
      knex: flags.import ? () => kernel.knex() : undefined,
      dryRun: flags['dry-run'],
      stateDir: path.resolve(flags['state-dir'] ?? path.join(kernel.config.home, 'scrape')),
      logger: kernel.logger,
    });
    this.log(
      result.status === 'dry-run'
        ? `Dry run: would ask the ${result.company} store locator${flags.out ? ` and write ${flags.out}` : ''}${flags.import ? ' and import the stores' : ''}; nothing fetched.`
        : `${result.stores.toLocaleString('en-AU')} ${result.company} store(s) found (${result.seen.toLocaleString('en-AU')} answers)${result.out ? ` → ${result.out}` : ''}${result.imported ? `; imported: ${result.imported.inserted} new, ${result.imported.updated} updated` : ''}.`,
    );
    if (result.message && !this.jsonEnabled()) process.stderr.write(`trolley: ${result.message}\n`);
    return this.finish(result, result.status === 'blocked' ? ExitCode.blocked : result.status === 'unavailable' ? ExitCode.unavailable : result.status === 'incomplete' ? ExitCode.incomplete : ExitCode.ok);
  }
}
