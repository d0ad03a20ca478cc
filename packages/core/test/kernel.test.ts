import test from 'ava';
import { ExtensionRegistry } from '../src/extensions/registry.js';
import { Kernel } from '../src/context/kernel.js';
import { Tokens } from '../src/context/tokens.js';
import { fixedClock, type Clock } from '../src/context/clock.js';
import type { TrolleyConfig } from '../src/context/config.js';
import type { Database } from '../src/db/database.js';
import { coreMigrations } from '../src/db/core-migrations.js';
import { migrationStatus } from '../src/db/migrations.js';
import { ExitCode } from '../src/errors.js';
import type { ExtensionDeclaration, Migration } from '../src/extensions/api.js';
import { silentLogger, testDatabase } from '../src/testing/index.js';

const config = (autoMigrate: boolean): TrolleyConfig => ({ home: '/nonexistent', databaseUrl: undefined, databaseSchema: undefined, autoMigrate, logLevel: 'silent', logFormat: 'json', importDigest: false });

const pluginMigration: Migration = {
  name: '0001_notes',
  up: async (knex) => knex.schema.createTable('notes', (t) => t.bigIncrements('id')),
  down: async (knex) => knex.schema.dropTable('notes'),
};

function registryWith(declarations: Record<string, ExtensionDeclaration[]>): ExtensionRegistry {
  const registry = new ExtensionRegistry();
  for (const [plugin, list] of Object.entries(declarations)) registry.addFrom({ name: plugin, version: '1.0.0' }, list);
  return registry;
}

const migrations = (id: string, list: readonly Migration[]): ExtensionDeclaration => ({ kind: 'Migrations', id, apiVersion: '1.0.0', create: () => ({ migrations: list }) });

async function kernelOn(t: Parameters<typeof testDatabase>[0], autoMigrate: boolean, extra: { clock?: Clock } = {}) {
  const { database } = await testDatabase(t, { migrations: false });
  const registry = registryWith({ '@trolley/core': [migrations('core', coreMigrations)], 'trolley-plugin-notes': [migrations('notes', [pluginMigration])] });
  const kernel = await Kernel.create({ config: config(autoMigrate), coreName: '@trolley/core', discover: async () => registry, logger: silentLogger, database, ...extra });
  return { kernel, database, registry };
}

test('the container holds the invocation context under the kernel tokens', async (t) => {
  const clock = fixedClock('2026-11-25T10:00:00Z');
  const { kernel, database, registry } = await kernelOn(t, true, { clock });
  t.is(kernel.container.resolve<TrolleyConfig>(Tokens.Config).autoMigrate, true);
  t.is(kernel.container.resolve(Tokens.Logger), silentLogger);
  t.is(kernel.container.resolve<Clock>(Tokens.Clock).now().toISOString(), '2026-11-25T10:00:00.000Z');
  t.is(kernel.container.resolve<Database>(Tokens.Database), database);
  t.is(typeof kernel.container.resolve<{ start: unknown }>(Tokens.Progress).start, 'function');
  t.false(kernel.container.isRegistered(Tokens.Extensions), 'extensions are discovered on demand');
  t.is(await kernel.extensions(), registry);
  t.is(kernel.container.resolve(Tokens.Extensions), registry);
});

test('two invocations get separate containers', async (t) => {
  const a = await kernelOn(t, true);
  const b = await kernelOn(t, true);
  t.not(a.kernel.container.resolve(Tokens.Database), b.kernel.container.resolve(Tokens.Database));
});

test('a command that needs the schema migrates it first (core, then plugins)', async (t) => {
  const { kernel } = await kernelOn(t, true);
  const knex = await kernel.knex();
  t.true(await knex.schema.hasTable('stores'));
  t.true(await knex.schema.hasTable('notes'));
  t.deepEqual((await migrationStatus(knex, await kernel.migrations())).applied, ['@trolley/core:0001_companies_stores', '@trolley/core:0002_catalogue_prices', '@trolley/core:0003_leaner_price_tables', '@trolley/core:0004_imported_files', '@trolley/core:0005_group_storage', '@trolley/core:0006_store_registry', '@trolley/core:0007_search', '@trolley/core:0008_full_scrape_dates', '@trolley/core:0009_shared_history', '@trolley/core:0010_catalogue_changes', '@trolley/core:0011_store_digests', '@trolley/core:0012_raw_store_digests', '@trolley/core:0013_uncompressed_store_digests', '@trolley/core:0014_patched_store_digests', 'trolley-plugin-notes:0001_notes']);
});

test('with TROLLEY_AUTO_MIGRATE=0 a command that needs the schema is refused with the fix, and nothing is created', async (t) => {
  const { kernel, database } = await kernelOn(t, false);
  const error = await t.throwsAsync(kernel.knex());
  t.regex(error?.message ?? '', new RegExp(`schema is behind: ${coreMigrations.length + 1} migration\\(s\\) pending .*; run trolley db migrate\\.`));
  t.is((error as { exitCode?: number }).exitCode, ExitCode.unavailable);
  t.false(await (await database.knex()).schema.hasTable('stores'));
});

test('dispose closes the database once and is safe to repeat', async (t) => {
  const { kernel, database } = await kernelOn(t, true);
  await kernel.knex();
  t.true(database.isOpen);
  await kernel.dispose();
  t.false(database.isOpen);
  await t.notThrowsAsync(kernel.dispose());
});

test('an extension factory receives the invocation container and resolves the kernel tokens from it', async (t) => {
  const clock = fixedClock('2026-11-25T10:00:00Z');
  const { database } = await testDatabase(t, { migrations: false });
  const registry = registryWith({
    'trolley-plugin-clocked': [
      {
        kind: 'Scraper',
        id: 'clocked',
        apiVersion: '1.0.0',
        create: (container) => ({ id: container.resolve<Clock>(Tokens.Clock).now().toISOString(), company: 'acme', capabilities: [] }),
      },
    ],
  });
  const kernel = await Kernel.create({ config: config(true), coreName: '@trolley/core', discover: async () => registry, logger: silentLogger, database, clock });
  const scraper = await (await kernel.extensions()).get('Scraper', 'clocked', kernel.container);
  t.is(scraper.id, '2026-11-25T10:00:00.000Z');
});
