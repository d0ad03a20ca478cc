import { Args, Flags } from '@oclif/core';
import { displayName, resolveProduct, tableFlags, TrolleyCommand, type ProductSummary } from '@trolley/core';
import { SubstitutionStore, type Substitute } from '../../storage/substitution-store.js';
import { text } from '../../messages.js';

export interface SubsShowResult {
  product: ProductSummary;
  substitutes: Substitute[];
  /** How many substitutes the product has in all (`substitutes` holds the strongest --limit of them). */
  total: number;
}

export default class SubsShow extends TrolleyCommand<typeof SubsShow> {
  static override summary = 'List the stored substitutes of a product, strongest level first, then best score: the estimated probability that a shopper accepts it.';
  static override examples = ['<%= config.bin %> subs show 1042', '<%= config.bin %> subs show 9300633603922', '<%= config.bin %> subs show "short cut bacon 500g" --limit 10 --json'];
  static override args = { product: Args.string({ description: 'Product id, barcode, company:sku, or name words.', required: true }) };
  static override flags = {
    ...tableFlags,
    limit: Flags.integer({ description: 'How many substitutes to list.', default: 5, min: 1, max: 1000 }),
  };

  async run(): Promise<SubsShowResult> {
    const { args } = await this.parse(SubsShow);
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const product = await resolveProduct(knex, args.product);
    const store = new SubstitutionStore(knex);
    const [substitutes, total] = await Promise.all([store.substitutesOf(product.id, this.flags.limit), store.countOf(product.id)]);
    const table = (csv: boolean) => this.logTable(['LEVEL', 'P(ACCEPT)', 'ID', 'PRODUCT'], substitutes.map((s) => [`LVL${s.level}`, `${Math.round(s.score * 100)}%`, String(s.productId), displayName(s)]), { csv });
    // CSV is the table alone, for a spreadsheet (a header line even when there is no substitute).
    if (this.flags.csv) {
      await table(true);
      return { product, substitutes, total };
    }
    this.log(text.showHeading(product, substitutes.length, total));
    if (substitutes.length > 0) await table(false);
    return { product, substitutes, total };
  }
}
