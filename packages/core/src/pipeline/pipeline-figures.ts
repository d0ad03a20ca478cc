/** The database-wide figures the pipeline ends with: stores, and price rows stored vs observed. */
import type { Knex } from 'knex';

export interface PipelineFigures {
  readonly stores: number;
  readonly products: number;
  /** Price records in the inbox's files: the prices observed. */
  readonly observedPrices: number;
  /** Current price rows stored now (store groups keep one copy of identical prices). */
  readonly storedPriceRows: number;
  /** How many fewer rows are stored than were observed, in percent (1 decimal); null with nothing observed. */
  readonly fewerRowsPercent: number | null;
}

export async function pipelineFigures(knex: Knex, observedPrices: number): Promise<PipelineFigures> {
  const row = (
    await knex.raw<{ rows: Array<{ stores: number | string; products: number | string; prices: number | string }> }>(
      'select (select count(*) from stores) as stores, (select count(*) from products) as products, (select count(*) from prices) as prices',
    )
  ).rows[0]!;
  const stored = Number(row.prices);
  return {
    stores: Number(row.stores),
    products: Number(row.products),
    observedPrices,
    storedPriceRows: stored,
    fewerRowsPercent: observedPrices > 0 ? Math.round((1000 * (observedPrices - stored)) / observedPrices) / 10 : null,
  };
}
