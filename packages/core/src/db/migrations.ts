/**
 * Migrations of the core and of every plugin, run by knex from one source in a stable order: the
 * core's set first, then each plugin's set by plugin name, each set by migration name. Applied
 * migrations are recorded as `<owner>:<name>` in `trolley_migrations`.
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';

export const MIGRATIONS_TABLE = 'trolley_migrations';

export interface OwnedMigration {
  /** The plugin that ships the migration. */
  readonly owner: string;
  readonly migration: Migration;
}

export function migrationId(m: OwnedMigration): string {
  return `${m.owner}:${m.migration.name}`;
}

export function orderMigrations(sets: ReadonlyArray<{ owner: string; migrations: readonly Migration[] }>, coreOwner: string): OwnedMigration[] {
  const owners = [...sets].sort((a, b) => (a.owner === coreOwner ? -1 : b.owner === coreOwner ? 1 : a.owner.localeCompare(b.owner)));
  return owners.flatMap(({ owner, migrations }) =>
    [...migrations].sort((a, b) => a.name.localeCompare(b.name)).map((migration) => ({ owner, migration })),
  );
}

export class KernelMigrationSource implements Knex.MigrationSource<OwnedMigration> {
  constructor(private readonly migrations: readonly OwnedMigration[]) {}

  async getMigrations(): Promise<OwnedMigration[]> {
    return [...this.migrations];
  }

  getMigrationName(migration: OwnedMigration): string {
    return migrationId(migration);
  }

  async getMigration(migration: OwnedMigration): Promise<Knex.Migration> {
    return { up: (knex) => migration.migration.up(knex), down: (knex) => migration.migration.down(knex) };
  }
}

export interface MigrationStatus {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** Applied migrations whose plugin is no longer installed (kept, never rolled back silently). */
  readonly orphaned: readonly string[];
}

export function migratorConfig(migrations: readonly OwnedMigration[]): Knex.MigratorConfig {
  return {
    migrationSource: new KernelMigrationSource(migrations),
    tableName: MIGRATIONS_TABLE,
    // A plugin that was uninstalled leaves its applied migrations behind; that is not corruption.
    disableMigrationsListValidation: true,
  };
}

export async function migrationStatus(knex: Knex, migrations: readonly OwnedMigration[]): Promise<MigrationStatus> {
  const known = new Set(migrations.map(migrationId));
  const hasTable = await knex.schema.hasTable(MIGRATIONS_TABLE);
  const applied: string[] = hasTable ? (await knex(MIGRATIONS_TABLE).select('name').orderBy('id')).map((r: { name: string }) => r.name) : [];
  const done = new Set(applied);
  return {
    applied,
    pending: migrations.map(migrationId).filter((id) => !done.has(id)),
    orphaned: applied.filter((id) => !known.has(id)),
  };
}

export async function migrateToLatest(knex: Knex, migrations: readonly OwnedMigration[]): Promise<string[]> {
  return withMigrationLock(knex, async () => {
    const [, applied] = (await knex.migrate.latest(migratorConfig(migrations))) as [number, string[]];
    return applied;
  });
}

/** The advisory lock key of trolley's migrations (any fixed 64-bit number; this one spells "trolley"). */
export const MIGRATION_LOCK_KEY = 0x74726f6c6c6579n;

/**
 * Runs `work` holding a session-level advisory lock, so that two processes started together on a
 * fresh database never both create the migrations table or run one migration twice: the second
 * waits, then finds nothing pending. On a server the lock is held on a connection of its own; the
 * embedded database has one session, which runs the work too.
 */
export async function withMigrationLock<T>(knex: Knex, work: () => Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<{ connectionParameters?: object }>; releaseConnection(connection: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  const server = typeof connection.connectionParameters === 'object';
  if (!server) await client.releaseConnection(connection);
  const on = <Q extends Knex.Raw>(query: Q) => (server ? query.connection(connection) : query);
  try {
    await on(knex.raw('select pg_advisory_lock(?::bigint)', [MIGRATION_LOCK_KEY.toString()]));
    try {
      return await work();
    } finally {
      await on(knex.raw('select pg_advisory_unlock(?::bigint)', [MIGRATION_LOCK_KEY.toString()]));
    }
  } finally {
    if (server) await client.releaseConnection(connection);
  }
}
