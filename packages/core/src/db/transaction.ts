/**
 * One transaction that a dry run rolls back after the work has run, so a dry run reports exactly
 * what a real run would do and keeps nothing.
 */
import type { Knex } from 'knex';

class RolledBack extends Error {}

export async function inTransaction<T>(knex: Knex, dryRun: boolean, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await knex.transaction(async (trx) => {
      result = await work(trx);
      if (dryRun) throw new RolledBack('dry run');
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return result as T;
}
