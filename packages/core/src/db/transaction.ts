/**
 * One transaction that a dry run rolls back after the work has run, so a dry run reports exactly
 * what a real run would do and keeps nothing.
 *
 * When the work fails and the ROLLBACK then fails too (the embedded database, after a write fails
 * for a full disk, answers the ROLLBACK with "cannot drop active portal"), knex rejects with the
 * ROLLBACK's error and the cause is lost. The work's own error is what the user needs to read, so
 * that is what is thrown, with the rollback's failure kept as its `rollbackError`.
 */
import type { Knex } from 'knex';

class RolledBack extends Error {}

export async function inTransaction<T>(knex: Knex, dryRun: boolean, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  let result: T | undefined;
  let workError: unknown;
  try {
    await knex.transaction(async (trx) => {
      try {
        result = await work(trx);
      } catch (error) {
        workError = error;
        throw error;
      }
      if (dryRun) throw new RolledBack('dry run');
    });
  } catch (error) {
    if (error instanceof RolledBack) return result as T;
    if (workError !== undefined && error !== workError) {
      if (workError instanceof Error) Object.assign(workError, { rollbackError: error });
      throw workError;
    }
    throw error;
  }
  return result as T;
}
