/**
 * A dry run does the real work inside one transaction and rolls it back, so what it reports is
 * exactly what a real run would do. Inside it, the `transaction()` of each step is a savepoint.
 */
import type { Knex } from 'knex';
import { inTransaction } from '@trolley/core';

export async function withOptionalRollback<T>(knex: Knex, dryRun: boolean, work: (db: Knex) => Promise<T>): Promise<T> {
  return dryRun ? inTransaction(knex, true, work) : work(knex);
}
