/** The database-wide figures the pipeline ends with: stores, and price rows stored vs observed. */
import type { Knex } from 'knex';
import { storedPriceFacts } from '../prices/count.js';

export interface PipelineFigures {
  readonly stores: number;
  readonly products: number;
  /** Price records in the inbox's files: the prices observed. */
  readonly observedPrices: number;
  /** Every row that stores a price fact: current rows, history rows and exclusion marks. */
  readonly storedPriceRows: number;
  /** Of those: current price rows (store groups keep one copy of identical prices), history rows, exclusion marks. */
  readonly currentPriceRows: number;
  readonly historyRows: number;
  readonly exclusionRows: number;
  /** How many fewer rows are stored than were observed, in percent (1 decimal; negative: more); null with nothing observed. */
  readonly fewerRowsPercent: number | null;
}

export async function pipelineFigures(knex: Knex, observedPrices: number): Promise<PipelineFigures> {
  const row = (await knex.raw<{ rows: Array<{ stores: number | string; products: number | string }> }>('select (select count(*) from stores) as stores, (select count(*) from products) as products')).rows[0]!;
  const facts = await storedPriceFacts(knex);
  return {
    stores: Number(row.stores),
    products: Number(row.products),
    observedPrices,
    storedPriceRows: facts.total,
    currentPriceRows: facts.current,
    historyRows: facts.history,
    exclusionRows: facts.exclusions,
    fewerRowsPercent: observedPrices > 0 ? Math.round((1000 * (observedPrices - facts.total)) / observedPrices) / 10 : null,
  };
}
