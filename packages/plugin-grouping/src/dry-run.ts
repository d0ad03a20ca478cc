/**
 * A dry run does the real work inside one transaction and rolls it back, so what it reports is
 * exactly what a real run would do. Inside it, the `transaction()` of each step is a savepoint.
 */
import type { Knex } from 'knex';

class RolledBack extends Error {}

export async function withOptionalRollback<T>(knex: Knex, dryRun: boolean, work: (db: Knex) => Promise<T>): Promise<T> {
  if (!dryRun) return work(knex);
  let result: T | undefined;
  try {
    await knex.transaction(async (trx) => {
      result = await work(trx);
      throw new RolledBack('dry run');
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return result as T;
}
