import { Flags } from '@oclif/core';
import { pricingStoreResolver, tableFlags, TrolleyCommand } from '@trolley/core';
import { listBargains, type Bargain } from '../../bargains.js';
import { findStores } from '../../stores.js';

export interface BargainsListResult {
  bargains: Bargain[];
  /** For each store asked about, the store whose bargains it sees (its pricing store). */
  readBy?: Array<{ store: string; company: string; pricingStoreId: number }>;
}

export default class BargainsList extends TrolleyCommand<typeof BargainsList> {
  static override summary = 'List stored bargains, best discount first.';
  static override description = 'For a store in a group, the bargains of its anchor: it reads its prices through the anchor.';
  static override examples = ['<%= config.bin %> bargains list', '<%= config.bin %> bargains list --store G467 --company aldi --limit 10 --json'];
  static override flags = {
    ...tableFlags,
    store: Flags.string({ description: "A store's own id (as scraped); several comma-separated, or the flag repeated.", multiple: true, delimiter: ',' }),
    company: Flags.string({ description: 'Only this company (and the company of --store).' }),
    limit: Flags.integer({ description: 'How many bargains.', default: 20, min: 1, max: 100_000 }),
  };

  async run(): Promise<BargainsListResult> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const company = this.flags.company?.toLowerCase();
    let readBy: BargainsListResult['readBy'];
    let credited: number[] | undefined;
    if (this.flags.store) {
      const stores = await findStores(knex, this.flags.store, company);
      const resolver = await pricingStoreResolver(await kernel.extensions(), kernel.container);
      const mapping = await resolver.pricingStoreOf(stores.map((s) => s.id));
      readBy = stores.map((s) => ({ store: s.store, company: s.company, pricingStoreId: mapping.get(s.id) ?? s.id }));
      credited = [...new Set(readBy.map((r) => r.pricingStoreId))];
    }
    const bargains = await listBargains(knex, { creditedStores: credited, company: this.flags.store ? undefined : company, limit: this.flags.limit });
    await this.logTable(
      // The dearest price is another store's: not this store's former price ("was").
      ['DISCOUNT', 'PRICE', 'STORE', 'DEAREST ELSEWHERE', 'PRODUCT'],
      bargains.map((b) => [`${b.discount}%`, `$${b.minPrice}`, `${b.company} ${b.store}`, `$${b.maxPrice}`, [b.brand, b.product].filter(Boolean).join(' ')]),
      { csv: this.flags.csv },
    );
    return readBy ? { bargains, readBy } : { bargains };
  }
}
