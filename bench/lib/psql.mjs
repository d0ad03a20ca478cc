// psql against the benchmark server, quietly; and the schema clean-up every suite ends with.
import { execFileSync } from 'node:child_process';

export const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export function psql(sql) {
  return execFileSync('psql', [SERVER, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' } }).trim();
}

/** Drops a benchmark's schema, ignoring a server that went away. */
export function dropSchema(schema) {
  try {
    psql(`drop schema if exists ${schema} cascade`);
  } catch {}
}
