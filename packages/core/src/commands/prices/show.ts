import { Args } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';

import { describeProduct, resolveProduct, type ProductSummary } from '../../catalogue/product-resolver.js';
import { productPrices, type StorePrice } from '../../prices/product-prices.js';
import { pricingStoreResolver } from '../../prices/resolved.js';
import { resolveStoreRefs } from '../../prices/store-summaries.js';
import { storeIdForms } from '../../scrape/scraper-lookup.js';
import { storesFlag } from '../../cli/store-flags.js';

export interface PricesShowResult {
  readonly product: ProductSummary;
  readonly prices: StorePrice[];
}

export default class PricesShow extends TrolleyCommand<typeof PricesShow> {
  static override summary = "A product's current prices across stores, cheapest first, with unit prices.";
  static override description =
    'PRODUCT is a product id, a barcode, a company SKU (coles:3984766) or words of its name and brand; words that match several products list them (exit 3) so you can name one by id. Each store shows the price it reads: its own scrape, however it is stored when stores are grouped. A store never scraped shows its group estimate, marked as one.';
  static override examples = ['<%= config.bin %> prices show 9310631635078', '<%= config.bin %> prices show "tim tam original" --stores aldi:G467', '<%= config.bin %> prices show coles:3984766 --stores 12,14 --json'];
  static override args = { product: Args.string({ description: 'Product id, barcode, company:sku, or name words.', required: true }) };
  static override flags = {
    stores: storesFlag('Only these stores', ['store', 'store-code']),
  };

  async run(): Promise<PricesShowResult> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const { args } = await this.parse(PricesShow);
    const product = await resolveProduct(knex, args.product);
    const storeIds = this.flags.stores === undefined ? undefined : await resolveStoreRefs(knex, this.flags.stores, await storeIdForms(await kernel.extensions(), kernel.container));
    const resolver = await pricingStoreResolver(await kernel.extensions(), kernel.container);
    const prices = await productPrices(knex, resolver, product.id, { storeIds });
    this.log(describeProduct(product));
    await this.logTable(
      ['PRICE', 'WAS', 'SPECIAL', 'UNIT PRICE', 'STORE', 'SCRAPED'],
      prices.map((p) => [
        `$${p.price}`,
        p.wasPrice ? `$${p.wasPrice}` : '',
        p.isOnSpecial ? 'yes' : '',
        p.unitPrice ? `$${unitPriceText(p.unitPrice)}/${p.unit ?? '?'}` : '',
        `${p.store.company} ${p.store.code}${p.store.name ? ` ${p.store.name}` : ''}`,
        `${p.scrapedDate}${p.estimate ? ' (estimate)' : ''}`,
      ]),
    );
    return { product, prices };
  }
}

/** A unit price as a shopper reads it: cents always, the stored 4 decimals only where they say more (`12.0000` → `12.00`, `0.0125` stays). */
export function unitPriceText(value: string | number): string {
  return Number(value).toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1');
}
