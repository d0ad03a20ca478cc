/**
 * A fresh database for each test: an embedded PGlite started from a template (initdb runs once per
 * test process), or, when TEST_DATABASE_URL is set, a new schema on that PostgreSQL server that is
 * dropped when the test ends.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { Database } from '../db/database.js';
import { coreMigrations } from '../db/core-migrations.js';
import { migrateToLatest, orderMigrations, type OwnedMigration } from '../db/migrations.js';
import type { Migration } from '../extensions/api.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestDatabase {
  readonly database: Database;
  readonly knex: Knex;
  /** 'embedded' or 'postgres'. */
  readonly kind: Database['kind'];
}

export const CORE_OWNER = '@trolley/core';

export const silentLogger = pino({ level: 'silent' });

/** The core's migrations plus the given plugin sets, ordered as the kernel orders them. */
export function migrationsWith(plugins: Record<string, readonly Migration[]> = {}): OwnedMigration[] {
  return orderMigrations(
    [{ owner: CORE_OWNER, migrations: coreMigrations }, ...Object.entries(plugins).map(([owner, migrations]) => ({ owner, migrations }))],
    CORE_OWNER,
  );
}

let template: Promise<Blob> | undefined;

function embeddedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create();
    const blob = await pglite.dumpDataDir('none');
    await pglite.close();
    return blob;
  })();
  return template;
}

/** Drops a test's schema on a PostgreSQL server. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: knexFactory } = await import('knex');
  const knex = knexFactory({ client: 'pg', connection: url });
  try {
    await knex.raw('drop schema if exists ?? cascade', [schema]);
  } finally {
    await knex.destroy();
  }
}

/** A unique schema name for a test on a PostgreSQL server. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function testDatabase(t: Teardown, options: { migrations?: readonly OwnedMigration[] | false } = {}): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  const database = url
    ? new Database({ kind: 'postgres', url, schema: uniqueSchema() }, silentLogger)
    : new Database({ kind: 'embedded', dir: undefined, loadDataDir: await embeddedTemplate() }, silentLogger);
  t.teardown(async () => {
    await database.close();
    const target = database.target;
    // Dropped over a connection of its own: a test may have closed its database already.
    if (target.kind === 'postgres' && target.schema) await dropSchema(target.url, target.schema);
  });
  const knex = await database.knex();
  const migrations = options.migrations === undefined ? migrationsWith() : options.migrations;
  if (migrations) await migrateToLatest(knex, migrations);
  return { database, knex, kind: database.kind };
}
