/**
 * Temporary tables that the planner can see into. A table made by `create temp table … as` has no
 * statistics (autovacuum never visits temporary tables), so PostgreSQL guesses its size from its
 * pages: a one-row scope is taken for about 1,500 rows and the statements joined to it scan whole
 * price tables instead of following their indexes. `groups maintain` runs such statements once per
 * merge; with ten million history rows every merge paid a full scan. Analysing the small table right
 * after filling it costs a millisecond and gives the planner its true row count.
 */
import type { Knex } from 'knex';

/** `create temp table name as <select>` followed by `analyze name`; `options` go between them (e.g. `on commit drop`). */
export async function createAnalyzedTempTable(db: Knex, name: string, select: string, bindings: readonly Knex.RawBinding[] = [], options = ''): Promise<void> {
  await db.raw(`create temp table ${name} ${options} as ${select}`, bindings as Knex.RawBinding[]);
  await db.raw(`analyze ${name}`);
}
