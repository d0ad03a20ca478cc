import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { parseIsoDate } from '../../cli/date-options.js';

import { describeProduct, resolveProduct, type ProductSummary } from '../../catalogue/product-resolver.js';
import { UsageError } from '../../errors.js';
import { priceHistory, type PriceChange } from '../../prices/price-history.js';
import { resolveStoreRefs } from '../../prices/store-summaries.js';
import { storeIdForms } from '../../scrape/scraper-lookup.js';
import { storesFlag } from '../../cli/store-flags.js';

export interface PricesHistoryResult {
  readonly product: ProductSummary;
  readonly since: string | null;
  readonly changes: PriceChange[];
}

export default class PricesHistory extends TrolleyCommand<typeof PricesHistory> {
  static override summary = "A product's price changes over time, per store.";
  static override description =
    'Each line is a change: the first scrape that showed a price, was-price or special flag different from the one before. PRODUCT is a product id, a barcode, a company SKU (coles:3984766) or words of its name; words that match several products list them (exit 3).';
  static override examples = ['<%= config.bin %> prices history 9310631635078', '<%= config.bin %> prices history coles:3984766 --stores aldi:G467 --since 2025-09-01 --json'];
  static override args = { product: Args.string({ description: 'Product id, barcode, company:sku, or name words.', required: true }) };
  static override flags = {
    stores: storesFlag('Only these stores', ['store']),
    since: Flags.string({ description: 'Only changes on this date (YYYY-MM-DD) or later.' }),
  };

  async run(): Promise<PricesHistoryResult> {
    const since = this.flags.since === undefined ? undefined : parseIsoDate(this.flags.since);
    if (this.flags.since !== undefined && since === undefined) throw new UsageError(`--since takes a date as YYYY-MM-DD, not ${JSON.stringify(this.flags.since)}.`, 'bad-since');
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const { args } = await this.parse(PricesHistory);
    const product = await resolveProduct(knex, args.product);
    const storeIds = this.flags.stores === undefined ? undefined : await resolveStoreRefs(knex, this.flags.stores, await storeIdForms(await kernel.extensions(), kernel.container));
    const changes = await priceHistory(knex, product.id, { storeIds, since });
    this.log(describeProduct(product));
    await this.logTable(
      ['DATE', 'PRICE', 'WAS', 'SPECIAL', 'STORE'],
      changes.map((c) => [c.date, `$${c.price}`, c.wasPrice ? `$${c.wasPrice}` : '', c.isOnSpecial ? 'yes' : '', `${c.store.company} ${c.store.code}${c.store.name ? ` ${c.store.name}` : ''}`]),
    );
    return { product, since: since ?? null, changes };
  }
}
