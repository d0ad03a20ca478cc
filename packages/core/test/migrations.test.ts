import test from 'ava';
import type { Knex } from 'knex';
import { migrateToLatest, migrationStatus, orderMigrations } from '../src/db/migrations.js';
import type { Migration } from '../src/extensions/api.js';
import { CORE_OWNER, migrationsWith, testDatabase } from '../src/testing/index.js';

const table = (name: string, tableName: string, after?: string): Migration => ({
  name,
  async up(knex: Knex) {
    await knex.schema.createTable(tableName, (t) => {
      t.bigIncrements('id');
      if (after) t.bigInteger(`${after}_id`).references('id').inTable(after);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable(tableName);
  },
});

test('orders the core first, then plugins by name, each set by migration name', (t) => {
  const ordered = orderMigrations(
    [
      { owner: 'zeta-plugin', migrations: [table('0002_b', 'b'), table('0001_a', 'a')] },
      { owner: CORE_OWNER, migrations: [table('0002_y', 'y'), table('0001_x', 'x')] },
      { owner: 'alpha-plugin', migrations: [table('0001_m', 'm')] },
    ],
    CORE_OWNER,
  );
  t.deepEqual(
    ordered.map((m) => `${m.owner}:${m.migration.name}`),
    ['@trolley/core:0001_x', '@trolley/core:0002_y', 'alpha-plugin:0001_m', 'zeta-plugin:0001_a', 'zeta-plugin:0002_b'],
  );
});

test('applies the core schema, reports status, and a second run applies nothing', async (t) => {
  const { knex } = await testDatabase(t, { migrations: false });
  const migrations = migrationsWith();
  t.deepEqual((await migrationStatus(knex, migrations)).pending, ['@trolley/core:0001_companies_stores', '@trolley/core:0002_catalogue_prices', '@trolley/core:0003_leaner_price_tables', '@trolley/core:0004_imported_files', '@trolley/core:0005_group_storage', '@trolley/core:0006_store_registry', '@trolley/core:0007_search', '@trolley/core:0008_full_scrape_dates', '@trolley/core:0009_shared_history', '@trolley/core:0010_catalogue_changes', '@trolley/core:0011_store_digests', '@trolley/core:0012_raw_store_digests', '@trolley/core:0013_uncompressed_store_digests', '@trolley/core:0014_patched_store_digests']);
  t.deepEqual(await migrateToLatest(knex, migrations), ['@trolley/core:0001_companies_stores', '@trolley/core:0002_catalogue_prices', '@trolley/core:0003_leaner_price_tables', '@trolley/core:0004_imported_files', '@trolley/core:0005_group_storage', '@trolley/core:0006_store_registry', '@trolley/core:0007_search', '@trolley/core:0008_full_scrape_dates', '@trolley/core:0009_shared_history', '@trolley/core:0010_catalogue_changes', '@trolley/core:0011_store_digests', '@trolley/core:0012_raw_store_digests', '@trolley/core:0013_uncompressed_store_digests', '@trolley/core:0014_patched_store_digests']);
  t.deepEqual(await migrateToLatest(knex, migrations), []);
  const status = await migrationStatus(knex, migrations);
  t.deepEqual(status, { applied: ['@trolley/core:0001_companies_stores', '@trolley/core:0002_catalogue_prices', '@trolley/core:0003_leaner_price_tables', '@trolley/core:0004_imported_files', '@trolley/core:0005_group_storage', '@trolley/core:0006_store_registry', '@trolley/core:0007_search', '@trolley/core:0008_full_scrape_dates', '@trolley/core:0009_shared_history', '@trolley/core:0010_catalogue_changes', '@trolley/core:0011_store_digests', '@trolley/core:0012_raw_store_digests', '@trolley/core:0013_uncompressed_store_digests', '@trolley/core:0014_patched_store_digests'], pending: [], orphaned: [] });
  t.true(await knex.schema.hasTable('stores'));
  t.true(await knex.schema.hasTable('price_history'));
  await knex('companies').insert({ name: 'aldi', display_name: 'Aldi' });
  await t.throwsAsync(knex('companies').insert({ name: 'Coles', display_name: 'Coles' }), { message: /companies_name_lower/ });
});

test('a plugin installed later adds its migrations after the applied ones; an uninstalled one is orphaned, not an error', async (t) => {
  const { knex } = await testDatabase(t);
  const withPlugin = migrationsWith({ 'trolley-plugin-x': [table('0001_things', 'things', 'stores')] });
  t.deepEqual(await migrateToLatest(knex, withPlugin), ['trolley-plugin-x:0001_things']);
  t.true(await knex.schema.hasTable('things'));
  const without = await migrationStatus(knex, migrationsWith());
  t.deepEqual(without.orphaned, ['trolley-plugin-x:0001_things']);
  t.deepEqual(without.pending, []);
  t.deepEqual(await migrateToLatest(knex, migrationsWith()), []);
});

test('a failing migration leaves the schema as it was', async (t) => {
  const { knex } = await testDatabase(t);
  const broken: Migration = {
    name: '0001_broken',
    async up(k: Knex) {
      await k.schema.createTable('half_done', (tb) => tb.bigIncrements('id'));
      await k.raw('select * from no_such_table');
    },
    async down() {},
  };
  await t.throwsAsync(migrateToLatest(knex, migrationsWith({ broken: [broken] })));
  t.false(await knex.schema.hasTable('half_done'));
  t.deepEqual((await migrationStatus(knex, migrationsWith({ broken: [broken] }))).pending, ['broken:0001_broken']);
});
