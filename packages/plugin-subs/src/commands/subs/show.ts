import { Args, Flags } from '@oclif/core';
import { renderTable, tableFlags, TrolleyCommand } from '@trolley/core';
import { findProduct, type FoundProduct } from '../../storage/find-product.js';
import { SubstitutionStore, type Substitute } from '../../storage/substitution-store.js';
import { text } from '../../messages.js';

export interface SubsShowResult {
  product: FoundProduct;
  substitutes: Substitute[];
}

export default class SubsShow extends TrolleyCommand<typeof SubsShow> {
  static override summary = 'List the stored substitutes of a product, strongest level first, then best score: the estimated probability that a shopper accepts it.';
  static override examples = ['<%= config.bin %> subs show 1042', '<%= config.bin %> subs show 9300633603922', '<%= config.bin %> subs show "short cut bacon 500g" --limit 10 --json'];
  static override args = { product: Args.string({ description: 'Product id, barcode, or a unique part of its name.', required: true }) };
  static override flags = {
    ...tableFlags,
    limit: Flags.integer({ description: 'How many substitutes to list.', default: 5, min: 1, max: 1000 }),
  };

  async run(): Promise<SubsShowResult> {
    const { args } = await this.parse(SubsShow);
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const product = await findProduct(knex, args.product);
    const substitutes = await new SubstitutionStore(knex).substitutesOf(product.id, this.flags.limit);
    const table = (csv: boolean) => renderTable(['LEVEL', 'P(ACCEPT)', 'ID', 'PRODUCT'], substitutes.map((s) => [`LVL${s.level}`, `${Math.round(s.score * 100)}%`, String(s.productId), [s.brand, s.name].filter(Boolean).join(' ')]), { csv });
    // CSV is the table alone, for a spreadsheet (a header line even when there is no substitute).
    if (this.flags.csv) {
      this.log(table(true));
      return { product, substitutes };
    }
    this.log(text.showHeading(product, substitutes.length));
    if (substitutes.length > 0) this.log(table(false));
    return { product, substitutes };
  }
}
