import test from 'ava';
import { createAnalyzedTempTable } from '../src/db/temp-tables.js';
import { testDatabase } from '../src/testing/index.js';

type Rows<T> = { rows: T[] };

test('a temporary table made for a set-based step carries its true row count for the planner', async (t) => {
  const { knex } = await testDatabase(t, { migrations: false });
  await knex.transaction(async (trx) => {
    // Without statistics the planner guesses a small table's size from its pages (hundreds to
    // thousands of rows) and scans whole price tables to join it.
    await trx.raw('create temp table unanalysed as select g as id from generate_series(1, 3) g');
    const guessed = ((await trx.raw(`select reltuples from pg_class where relname = 'unanalysed' and relpersistence = 't'`)) as Rows<{ reltuples: number }>).rows[0]!.reltuples;
    t.not(Number(guessed), 3, 'a plain temporary table has no row count of its own');

    await createAnalyzedTempTable(trx, 'scope', 'select g as id, ?::int as source from generate_series(1, ?::int) g', [7, 3], 'on commit drop');
    const counted = ((await trx.raw(`select reltuples from pg_class where relname = 'scope' and relpersistence = 't'`)) as Rows<{ reltuples: number }>).rows[0]!.reltuples;
    t.is(Number(counted), 3);
    const rows = ((await trx.raw('select id, source from scope order by id')) as Rows<{ id: number; source: number }>).rows;
    t.deepEqual(rows.map((r) => [Number(r.id), Number(r.source)]), [[1, 7], [2, 7], [3, 7]]);
  });
});
