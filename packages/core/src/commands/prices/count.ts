import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { tableFlags } from '../../cli/table.js';
import { UsageError } from '../../errors.js';
import { CORE_BREAKDOWNS, countPrices, countPricesBy, FACT_COLUMNS, type PriceCount } from '../../prices/count.js';

export default class PricesCount extends TrolleyCommand<typeof PricesCount> {
  static override summary = 'Count the rows that store price facts (current prices, history, exclusion marks): in total, per company, per store, or by a breakdown a plugin adds (group).';
  static override description =
    'The core breaks the count down by company or by store; plugins add breakdowns as PriceCountBreakdown extensions (the grouping plugin adds --by group: anchor rows and member rows per store group). `trolley extensions --kind PriceCountBreakdown` lists them.';
  static override examples = ['<%= config.bin %> prices count', '<%= config.bin %> prices count --by store --json', '<%= config.bin %> prices count --by group'];
  static override flags = {
    ...tableFlags,
    by: Flags.string({ description: 'Break the total down by company, store, or a breakdown a plugin provides (group).', default: 'company' }),
  };

  async run(): Promise<PriceCount> {
    const kernel = await this.kernel();
    const by = this.flags.by;
    let result: PriceCount;
    let detailColumns: readonly string[] = [];
    if ((CORE_BREAKDOWNS as readonly string[]).includes(by)) {
      result = await countPrices(await kernel.knex(), by as (typeof CORE_BREAKDOWNS)[number]);
      detailColumns = FACT_COLUMNS;
    } else {
      const registry = await kernel.extensions();
      if (!registry.find('PriceCountBreakdown', by)) {
        const known = [...CORE_BREAKDOWNS, ...registry.list('PriceCountBreakdown').map((e) => e.id)];
        throw new UsageError(`prices count cannot break down by "${by}"; use --by with one of ${known.join(', ')}.`, 'unknown-breakdown');
      }
      const breakdown = await registry.get('PriceCountBreakdown', by, kernel.container);
      detailColumns = breakdown.detailColumns ?? [];
      result = await countPricesBy(await kernel.knex(), breakdown);
    }
    await this.logTable(
      [by.toUpperCase(), 'STORES', 'ROWS', ...detailColumns.map(columnHeading)],
      result.breakdown.map((b) => [b.label, String(b.stores), b.rows.toLocaleString('en-AU'), ...detailColumns.map((c) => format(b.details?.[c]))]),
      { csv: this.flags.csv },
    );
    if (this.flags.csv) return result;
    this.log(`Total: ${result.total.toLocaleString('en-AU')} rows storing price facts in ${result.stores} store(s).`);
    return result;
  }
}

/** A detail column's key as a heading: `anchorRows` → `ANCHOR ROWS`. */
export function columnHeading(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase();
}

function format(value: number | string | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? value.toLocaleString('en-AU') : value;
}
