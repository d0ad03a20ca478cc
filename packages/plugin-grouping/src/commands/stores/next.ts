import { Flags } from '@oclif/core';
import { tableFlags, Tokens, TrolleyCommand, type Clock } from '@trolley/core';
import { companyNamed } from '../../companies.js';
import { ensureMemberships } from '../../membership.js';
import { messages } from '../../messages.js';
import { nextStores, type NextStores } from '../../scrape-queue.js';

export default class StoresNext extends TrolleyCommand<typeof StoresNext> {
  static override summary = 'Hand out the next stores to scrape, and mark them so no other worker gets them for 4 hours.';
  static override description =
    'Order: anchors flagged for re-scrape by a health check (oldest flag first), then stores never scraped, then the longest since scraped.';
  static override examples = ['<%= config.bin %> stores next', '<%= config.bin %> stores next --company aldi --limit 20 --json'];
  static override flags = {
    ...tableFlags,
    company: Flags.string({ description: 'Only stores of this company (case-insensitive).' }),
    limit: Flags.integer({ description: 'How many stores to hand out.', default: 1, min: 1, max: 10_000 }),
    worker: Flags.string({ description: 'A name for the worker, recorded with the hand-out.' }),
  };

  async run(): Promise<NextStores> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const company = this.flags.company === undefined ? undefined : await companyNamed(knex, this.flags.company);
    await ensureMemberships(knex);
    const result = await nextStores(knex, { company, limit: this.flags.limit, worker: this.flags.worker, now: kernel.container.resolve<Clock>(Tokens.Clock).now() });
    const table = (csv: boolean) => this.logTable(['COMPANY', 'STORE', 'NAME', 'STATE', 'LAST SCRAPED', 'WHY'], result.stores.map((s) => [s.company, s.code, s.name ?? '', s.state ?? '', s.lastScraped ?? 'never', s.reason]), { csv });
    // CSV is the table alone (a header line even when no store is handed out), without the summary sentence.
    if (this.flags.csv) {
      await table(true);
      return result;
    }
    if (result.stores.length > 0) await table(false);
    this.log(messages.next(result));
    return result;
  }
}
