/**
 * The database of an invocation: PostgreSQL through `pg` when a URL is configured, otherwise an
 * embedded PostgreSQL (PGlite) in the trolley home. Opened on first use, closed once at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, InputError } from '../errors.js';
import { DataDirLock } from './lock.js';
import { SERVER_SESSION_SETTINGS, SESSION_SETTINGS } from './session-settings.js';
import { unopenableError } from './unopenable.js';
import { LENT_DATABASE_APPLICATION, SOCKET_PORT, sharedSocketOf, startSharing, type Sharing } from './shared-socket.js';

export type DatabaseTarget =
  | {
      readonly kind: 'embedded';
      /** The PGlite data directory; undefined = in memory (tests). */
      readonly dir: string | undefined;
      /** A `dumpDataDir()` tarball to start from instead of running initdb (tests). */
      readonly loadDataDir?: Blob;
    }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Use (and create if needed) this schema instead of the server's default. */
      readonly schema?: string | undefined;
    };

export function targetFor(config: { home: string; databaseUrl: string | undefined; databaseSchema: string | undefined }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema }
    : { kind: 'embedded', dir: path.join(config.home, 'db') };
}

/** `postgres://user:***@host:5432/db` or `embedded PostgreSQL at /path`. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'embedded') return target.dir ? `embedded PostgreSQL at ${target.dir}` : 'embedded PostgreSQL in memory';
  return `PostgreSQL at ${redactUrl(target.url)}${target.schema ? ` (schema ${target.schema})` : ''}`;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

export class Database {
  private opening: Promise<Knex> | undefined;
  private lock: DataDirLock | undefined;
  /** The embedded instance: knex closes it only if its pool ever connected, so close() makes sure. */
  private pglite: { close(): Promise<void>; closed: boolean } | undefined;
  private closed = false;
  private lend = false;
  private sharing: Sharing | undefined;

  constructor(
    readonly target: DatabaseTarget,
    private readonly logger: Logger,
  ) {}

  get kind(): DatabaseTarget['kind'] {
    return this.target.kind;
  }

  get description(): string {
    return describeTarget(this.target);
  }

  /**
   * An embedded database opened after this call is lent to other trolley processes over a local
   * socket (see shared-socket.ts) while this process holds it; `trolley serve` asks for this.
   */
  shareWithOtherProcesses(): void {
    this.lend = true;
  }

  get isOpen(): boolean {
    return this.opening !== undefined && !this.closed;
  }

  /** The knex instance, opened on first call. */
  knex(): Promise<Knex> {
    if (this.closed) throw new Error('The database of this invocation was already closed.');
    this.opening ??= this.open().catch((error: unknown) => {
      this.lock?.release();
      this.lock = undefined;
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    try {
      if (opening) await (await opening.catch(() => undefined))?.destroy();
      await this.sharing?.stop();
      if (this.pglite && !this.pglite.closed) await this.pglite.close();
    } finally {
      this.sharing = undefined;
      this.pglite = undefined;
      this.lock?.release();
      this.lock = undefined;
    }
  }

  private async open(): Promise<Knex> {
    const started = Date.now();
    const knex = this.target.kind === 'embedded' ? await this.openEmbedded(this.target) : await this.openServer(this.target);
    this.logger.debug({ database: this.description, ms: Date.now() - started }, 'database opened');
    return knex;
  }

  /** knex's own warnings go to the log at debug level: errors reach the user once, as a TrolleyError. */
  private knexLog(): Knex.Logger {
    const log = (message: unknown) => this.logger.debug({ source: 'knex' }, String(message instanceof Error ? message.message : message));
    return { warn: log, error: log, deprecate: log, debug: log };
  }

  private async openEmbedded(target: Extract<DatabaseTarget, { kind: 'embedded' }>): Promise<Knex> {
    if (target.dir) {
      try {
        fs.mkdirSync(path.dirname(target.dir), { recursive: true });
      } catch (error) {
        throw new InputError(`Cannot create the trolley home ${path.dirname(target.dir)} (${(error as Error).message}); set TROLLEY_HOME to a writable directory.`, 'home-not-writable', error);
      }
      try {
        this.lock = DataDirLock.acquire(`${target.dir}.lock`);
      } catch (error) {
        // Held by a process that lends it (trolley serve): use it through that process.
        const socketDir = error instanceof DatabaseUnavailableError ? sharedSocketOf(target.dir) : undefined;
        if (socketDir === undefined) throw error;
        this.logger.debug({ socketDir }, 'the embedded database is lent by the process holding it; connecting through its socket');
        return this.socketKnex(socketDir);
      }
    }
    const [{ PGlite }, { pg_trgm }, { default: knexFactory }, { default: ClientPgLite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('knex'),
      import('knex-pglite'),
    ]);
    let pglite: InstanceType<typeof PGlite>;
    try {
      pglite = await PGlite.create(target.dir, { extensions: { pg_trgm }, ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}) });
    } catch (error) {
      throw unopenableError(target.dir, error);
    }
    await pglite.exec(SESSION_SETTINGS);
    this.pglite = pglite;
    if (this.lend && target.dir) {
      this.sharing = await startSharing(pglite, target.dir);
      return this.socketKnex(this.sharing.socketDir);
    }
    return knexFactory({ client: ClientPgLite, connection: () => ({ pglite }) as object, useNullAsDefault: true, log: this.knexLog() });
  }

  /** A PostgreSQL client of the embedded database lent over the socket in `socketDir`. */
  private async socketKnex(socketDir: string): Promise<Knex> {
    const { default: knexFactory } = await import('knex');
    return knexFactory({
      client: 'pg',
      connection: { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres', application_name: LENT_DATABASE_APPLICATION },
      pool: { min: 0, max: 4, afterCreate: startSession(SESSION_SETTINGS) },
      log: this.knexLog(),
    });
  }

  private async openServer(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Knex> {
    const { default: knexFactory } = await import('knex');
    const knex = knexFactory({
      client: 'pg',
      connection: target.url,
      // Up to 8 connections: serve answers concurrent readers on them; other commands use one or two.
      pool: {
        min: 0,
        max: 8,
        afterCreate: startSession(SERVER_SESSION_SETTINGS),
      },
      log: this.knexLog(),
      ...(target.schema ? { searchPath: [target.schema] } : {}),
    });
    try {
      await knex.raw('select 1');
      // Two processes creating the schema at once: the loser's duplicate-key error means it exists.
      if (target.schema) await knex.raw('create schema if not exists ??', [target.schema]).catch((error: { code?: string }) => {
        if (error.code !== '23505' && error.code !== '42P06') throw error;
      });
    } catch (error) {
      await knex.destroy();
      throw serverError(target, error);
    }
    return knex;
  }
}

/** Why a PostgreSQL server could not be used, in one sentence with the fix for that reason. */
export function serverError(target: Extract<DatabaseTarget, { kind: 'postgres' }>, error: unknown): DatabaseUnavailableError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = describeTarget(target);
  let name = target.url;
  try {
    name = decodeURIComponent(new URL(target.url).pathname.replace(/^\//, '')) || 'the default database';
  } catch {
    // describeTarget already shows the URL as given
  }
  switch (code) {
    case '3D000':
      return new DatabaseUnavailableError(`The database "${name}" does not exist on the server of ${where}; create it (createdb ${name}) or correct DATABASE_URL / --database-url.`, 'database-missing', error);
    case '28P01':
    case '28000':
      return new DatabaseUnavailableError(`The server of ${where} refused the login (${(error as Error).message}); correct the user or password in DATABASE_URL / --database-url.`, 'database-login', error);
    default:
      return new DatabaseUnavailableError(
        `Cannot reach ${where} (${code ?? (error as Error).message}); start the server or correct DATABASE_URL / --database-url.`,
        'database-unreachable',
        error,
      );
  }
}

/** A pool's afterCreate hook that runs `settings` on each new connection. */
function startSession(settings: string) {
  return (connection: { query(sql: string, done: (error: Error | null) => void): void }, done: (error: Error | null, connection: unknown) => void) =>
    connection.query(settings, (error) => done(error, connection));
}
