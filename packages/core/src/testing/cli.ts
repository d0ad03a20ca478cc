/**
 * Runs the real `trolley` executable in a child process with its own home, data, cache and config
 * directories, so tests never touch the user's files. With TEST_DATABASE_URL set and
 * `database: 'server'`, the child uses a fresh schema on that server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { resolveConfig } from '../context/config.js';
import { Database, targetFor } from '../db/database.js';
import { dropSchema, uniqueSchema, type Teardown } from './database.js';

export const TROLLEY_BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliSandbox {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<CliResult>;
  /** Starts the CLI and returns the child process (for tests that kill it or race it). */
  spawn(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): ReturnType<typeof spawn>;
}

export function cliSandbox(t: Teardown, options: { database?: 'embedded' | 'server' } = {}): CliSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    TROLLEY_HOME: path.join(dir, 'home'),
    TROLLEY_DATA_DIR: path.join(dir, 'data'),
    TROLLEY_CACHE_DIR: path.join(dir, 'cache'),
    TROLLEY_CONFIG_DIR: path.join(dir, 'config'),
    NODE_OPTIONS: '',
  };
  const server = options.database === 'server' ? process.env.TEST_DATABASE_URL : undefined;
  if (server) {
    const schema = uniqueSchema('cli');
    env.DATABASE_URL = server;
    env.TROLLEY_DATABASE_SCHEMA = schema;
    t.teardown(() => dropSchema(server, schema));
  }
  const start = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
    spawn(process.execPath, [TROLLEY_BIN, ...args], { env: { ...env, ...extra }, stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    home: env.TROLLEY_HOME!,
    env,
    spawn: (args, opts = {}) => start(args, opts.env),
    run: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const child = start(args, opts.env);
        let stdout = '';
        let stderr = '';
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin!.end(opts.input ?? '');
      }),
  };
}

/** Opens a sandbox's database (embedded, or its schema on the server) for checks, after its CLI has exited. */
export async function sandboxDatabase(t: Teardown, cli: CliSandbox): Promise<Database> {
  const config = resolveConfig({ dataDir: cli.home, env: cli.env, flags: {} });
  const db = new Database(targetFor(config), pino({ level: 'silent' }));
  t.teardown(() => db.close());
  return db;
}
