import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';

import { searchProducts, type SearchPage } from '../../search/product-search.js';
import { MAX_SEARCH_PAGE } from '../../serve/limits.js';

export default class ProductsSearch extends TrolleyCommand<typeof ProductsSearch> {
  static override summary = 'Search products by name, brand, barcode or SKU (typo-tolerant), best match first.';
  static override description = 'The same search as GET /api/products: words match names and brands even misspelt; a barcode or SKU finds its product first.';
  static override examples = ['<%= config.bin %> products search "short cut bacon"', '<%= config.bin %> products search bacn --company aldi --json', '<%= config.bin %> products search 9300633603185'];
  static override args = { query: Args.string({ description: 'Words, a barcode or a SKU.', required: true }) };
  static override flags = {
    company: Flags.string({ description: 'Only products this company sells.' }),
    category: Flags.string({ description: 'Only products in a category whose path contains this.' }),
    limit: Flags.integer({ description: `How many matches to show (1–${MAX_SEARCH_PAGE}).`, default: 20, min: 1, max: MAX_SEARCH_PAGE }),
  };

  async run(): Promise<SearchPage> {
    const { args } = await this.parse(ProductsSearch);
    const kernel = await this.kernel();
    const page = await searchProducts(await kernel.knex(), { q: args.query, company: this.flags.company, category: this.flags.category, limit: this.flags.limit });
    await this.logTable(['ID', 'NAME', 'BRAND', 'BARCODE', 'SIZES'], page.items.map((h) => [String(h.id), h.name, h.brand ?? '', h.barcode ?? '', h.sizes.join(' ')]));
    return { items: page.items };
  }
}
