/**
 * The fingerprint compares databases by natural keys: a table whose rows point at stores, products,
 * categories or groups by id must have a natural-key query, or two databases holding the same facts
 * under other ids (work done in another order) would differ. This caught history_periods and
 * price_history_skips, hashed on raw store ids, as a false "difference" after two pipelines raced.
 */
import test from 'ava';
import { cliSandbox, sandboxDatabase } from '../../src/testing/index.js';
import { NATURAL_KEY_TABLES, schemaTables } from '../../src/testing/fingerprint.js';

/** Columns that hold another row's id. */
const REFERENCE = /(_id|^product_[ab]|^category_[ab])$/;

test('every table that refers to other rows by id has a natural-key query in the fingerprint', async (t) => {
  const cli = cliSandbox(t);
  t.is((await cli.run(['db', 'migrate'])).code, 0);
  const db = await sandboxDatabase(t, cli);
  const knex = await db.knex();
  const tables = await schemaTables(knex);
  t.true(tables.includes('history_periods') && tables.includes('substitutions'), `core's and plugins' tables are there: ${tables.join(', ')}`);
  const missing: string[] = [];
  for (const table of tables) {
    const { rows } = await knex.raw<{ rows: Array<{ column: string }> }>(
      `select column_name as column from information_schema.columns where table_schema = current_schema() and table_name = ?`,
      [table],
    );
    const references = rows.map((r) => r.column).filter((c) => REFERENCE.test(c));
    if (references.length > 0 && !NATURAL_KEY_TABLES.includes(table)) missing.push(`${table} (${references.join(', ')})`);
  }
  t.deepEqual(missing, []);
  await db.close();
});
