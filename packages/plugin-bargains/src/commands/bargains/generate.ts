import { Flags } from '@oclif/core';
import { Tokens, TrolleyCommand, type ProgressReporter } from '@trolley/core';
import { bargainRule, DEFAULT_SINCE } from '../../bargain-rule.js';
import { generateBargains, pricingStores, type BargainsReport } from '../../bargains.js';
import { text } from '../../messages.js';

export default class BargainsGenerate extends TrolleyCommand<typeof BargainsGenerate> {
  static override summary = 'Find the bargains across stores and chains, and store them.';
  static override description = text.generateDescription;
  static override examples = ['<%= config.bin %> bargains generate', '<%= config.bin %> bargains generate --since 3d --min-companies 2 --json', '<%= config.bin %> bargains generate --min-discount 50 --max-discount 90 --dry-run'];
  static override flags = {
    since: Flags.string({ description: 'Prices scraped within this long of the reference date compete.', default: DEFAULT_SINCE }),
    'as-of': Flags.string({ description: 'Reference date (YYYY-MM-DD); default: the newest scrape of a pricing store.' }),
    'min-discount': Flags.string({ description: 'Percent below the dearest price the cheapest must be (default: dearest > 1.5 × cheapest, 33⅓%).' }),
    'max-discount': Flags.string({ description: 'Ignore discounts above this percent (likely data errors).' }),
    'min-companies': Flags.integer({ description: 'Companies that must price the product.', default: 1 }),
    'dry-run': Flags.boolean({ description: 'Report what would be stored, and change nothing.' }),
  };

  async run(): Promise<BargainsReport> {
    const rule = bargainRule({ since: this.flags.since, asOf: this.flags['as-of'], minDiscount: this.flags['min-discount'], maxDiscount: this.flags['max-discount'], minCompanies: this.flags['min-companies'] });
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const stores = await pricingStores(knex, await kernel.extensions(), kernel.container);
    const task = kernel.container.resolve<ProgressReporter>(Tokens.Progress).start('bargains generate', undefined, { quiet: true });
    const report = await generateBargains(knex, stores, rule, { dryRun: this.flags['dry-run'] }).finally(() => task.done());
    this.log(text.generated(report));
    return report;
  }
}
