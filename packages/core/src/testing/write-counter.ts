/**
 * Counts the rows written to tables (inserted, updated, deleted) with statement triggers over
 * transition tables, whoever writes them (this process or a CLI child on the same database): a test
 * can tell "nothing written" from "the same values written again", which comparing snapshots cannot.
 */
import type { Knex } from 'knex';

/** The tables that store price facts: current rows, history rows and their skip marks, exclusion marks. */
export const PRICE_FACT_TABLES: readonly string[] = ['prices', 'price_history', 'price_history_skips', 'price_exclusions'];

const LOG = 'test_row_writes';

/** Installs the counting triggers on `tables` (idempotent) and starts the count at zero. */
export async function installWriteCounter(knex: Knex, tables: readonly string[] = PRICE_FACT_TABLES): Promise<void> {
  await knex.raw(`create table if not exists ${LOG} (table_name text not null, op text not null, n bigint not null)`);
  await knex.raw(
    `create or replace function test_count_new_rows() returns trigger language plpgsql as $$
     begin insert into ${LOG} select TG_TABLE_NAME, TG_OP, count(*) from new_rows having count(*) > 0; return null; end $$`,
  );
  await knex.raw(
    `create or replace function test_count_old_rows() returns trigger language plpgsql as $$
     begin insert into ${LOG} select TG_TABLE_NAME, TG_OP, count(*) from old_rows having count(*) > 0; return null; end $$`,
  );
  for (const table of tables) {
    for (const [op, ref, fn] of [
      ['insert', 'new table as new_rows', 'test_count_new_rows'],
      ['update', 'new table as new_rows', 'test_count_new_rows'],
      ['delete', 'old table as old_rows', 'test_count_old_rows'],
    ] as const) {
      await knex.raw(`drop trigger if exists test_count_${op} on ${table}`);
      await knex.raw(`create trigger test_count_${op} after ${op} on ${table} referencing ${ref} for each statement execute function ${fn}()`);
    }
  }
  await resetWriteCounter(knex);
}

export async function resetWriteCounter(knex: Knex): Promise<void> {
  await knex.raw(`delete from ${LOG}`);
}

export interface RowsWritten {
  readonly total: number;
  /** `table:op` → rows, e.g. `prices:UPDATE`. */
  readonly by: Readonly<Record<string, number>>;
}

/** Rows written since the counter was installed or last reset. */
export async function rowsWritten(knex: Knex): Promise<RowsWritten> {
  const { rows } = await knex.raw<{ rows: Array<{ table_name: string; op: string; n: string | number }> }>(`select table_name, op, sum(n)::bigint as n from ${LOG} group by 1, 2 order by 1, 2`);
  const by = Object.fromEntries(rows.map((r) => [`${r.table_name}:${r.op}`, Number(r.n)]));
  return { total: rows.reduce((sum, r) => sum + Number(r.n), 0), by };
}
