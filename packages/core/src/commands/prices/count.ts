import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { renderTable } from '../../cli/table.js';
import { countPrices, type PriceCount } from '../../prices/count.js';

export default class PricesCount extends TrolleyCommand<typeof PricesCount> {
  static override summary = 'Count the stored price rows: in total, per company or per store.';
  static override examples = ['<%= config.bin %> prices count', '<%= config.bin %> prices count --by store --json'];
  static override flags = {
    by: Flags.string({ description: 'Break the total down by company or by store.', options: ['company', 'store'], default: 'company' }),
  };

  async run(): Promise<PriceCount> {
    const kernel = await this.kernel();
    const result = await countPrices(await kernel.knex(), this.flags.by as 'company' | 'store');
    this.log(renderTable(['GROUP', 'STORES', 'ROWS'], result.breakdown.map((b) => [b.label, String(b.stores), b.rows.toLocaleString('en-AU')])));
    this.log(`Total: ${result.total.toLocaleString('en-AU')} price rows in ${result.stores} store(s).`);
    return result;
  }
}
