/**
 * The configuration of one invocation, resolved once from flags, then environment, then defaults.
 * Precedence: a flag beats its environment variable, which beats the default.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DIGEST_BY_DEFAULT } from '../import/store-digest.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface TrolleyConfig {
  /** Where trolley keeps its own files (embedded database, caches): `TROLLEY_HOME` or the CLI's data directory. */
  readonly home: string;
  /** A PostgreSQL connection string; undefined means the embedded database under {@link home}. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL schema to use on a server (tests give each file its own); undefined = the server default. */
  readonly databaseSchema: string | undefined;
  /** Run pending migrations before a command that needs the schema (default true). */
  readonly autoMigrate: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /**
   * `TROLLEY_IMPORT_DIGEST`: imports keep a digest of each store's last full scrape and stage only
   * the lines that differ from it (docs/import.md, "The digest of a store's last scrape"); on by default, `0` turns it off.
   */
  readonly importDigest: boolean;
}

export interface ConfigSources {
  /** The oclif data directory (`~/.local/share/trolley`). */
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly flags: {
    readonly 'database-url'?: string | undefined;
    readonly 'log-level'?: string | undefined;
    readonly 'log-format'?: string | undefined;
  };
}

export function resolveConfig({ dataDir, env, flags }: ConfigSources): TrolleyConfig {
  const home = path.resolve(nonEmpty(env.TROLLEY_HOME) ?? dataDir);
  return {
    home,
    databaseUrl: postgresUrl(nonEmpty(flags['database-url']) ?? nonEmpty(env.DATABASE_URL)),
    databaseSchema: nonEmpty(env.TROLLEY_DATABASE_SCHEMA),
    autoMigrate: parseBoolean(env.TROLLEY_AUTO_MIGRATE, 'TROLLEY_AUTO_MIGRATE', true),
    logLevel: oneOf(LOG_LEVELS, nonEmpty(flags['log-level']) ?? nonEmpty(env.TROLLEY_LOG_LEVEL) ?? 'info', 'log level (--log-level or TROLLEY_LOG_LEVEL)'),
    logFormat: oneOf(LOG_FORMATS, nonEmpty(flags['log-format']) ?? nonEmpty(env.TROLLEY_LOG_FORMAT) ?? 'auto', 'log format (--log-format or TROLLEY_LOG_FORMAT)'),
    importDigest: parseBoolean(env.TROLLEY_IMPORT_DIGEST, 'TROLLEY_IMPORT_DIGEST', DIGEST_BY_DEFAULT),
  };
}

/** A PostgreSQL connection URL, or a usage error: trolley speaks to PostgreSQL only. */
function postgresUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return value;
  const shown = scheme === undefined ? 'without a scheme' : `a ${scheme}:// URL`;
  throw new UsageError(
    `The database URL (--database-url or DATABASE_URL) is ${shown}, and trolley works with PostgreSQL only; write it like postgres://user@host:5432/trolley, or leave it unset for the embedded database.`,
    'bad-database-url',
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new UsageError(`The ${what} "${value}" is not one of ${allowed.join(', ')}; pick one of those.`, 'bad-config');
}

function parseBoolean(value: string | undefined, name: string, fallback: boolean): boolean {
  const text = nonEmpty(value)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new UsageError(`${name}="${value}" is not a yes/no value; set it to 1 or 0.`, 'bad-config');
}
