/**
 * Runs the real `trolley` executable in a child process with its own home, data, cache and config
 * directories, so tests never touch the user's files. With TEST_DATABASE_URL set and
 * `database: 'server'`, the child uses a fresh schema on that server.
 *
 * No child outlives its test: each runs in a process group of its own, which the test's teardown
 * ends (SIGTERM, then SIGKILL); `run` ends a child that takes longer than its timeout and fails;
 * and a child whose test process dies without a teardown ends itself (./parent-watch.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { resolveConfig } from '../context/config.js';
import { Database, targetFor } from '../db/database.js';
import { dropSchema, uniqueSchema, type Teardown } from './database.js';

export const TROLLEY_BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));
const PARENT_WATCH = new URL('./parent-watch.js', import.meta.url).href;

/** How long `run` lets a command take before it ends it and fails: under ava.config.js timeout, as a loaded machine runs some commands for minutes. */
export const CLI_RUN_TIMEOUT_MS = 480_000;
/** How long a child has to leave after SIGTERM before its process group is killed. */
const GRACE_MS = 3_000;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliSandbox {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs a command to its end; rejects (after ending the child) when it takes longer than `timeoutMs` ({@link CLI_RUN_TIMEOUT_MS}). */
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult>;
  /** Starts the CLI and returns the child process (for tests that kill it or race it); the teardown ends it if the test did not. */
  spawn(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): ChildProcess;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

/** Ends a child and everything in its process group: SIGTERM, then SIGKILL after a grace period. */
export async function endChild(child: ChildProcess, graceMs = GRACE_MS): Promise<void> {
  if (child.pid === undefined) return;
  const closed = new Promise<void>((resolve) => (exited(child) ? resolve() : child.once('exit', () => resolve())));
  if (!exited(child)) signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
  const late = await Promise.race([closed.then(() => false), graceOver]);
  clearTimeout(timer);
  // Whatever the child started in its group goes too, even when the child itself has left.
  signalGroup(child, 'SIGKILL');
  if (late) await closed;
}

export function cliSandbox(t: Teardown, options: { database?: 'embedded' | 'server' } = {}): CliSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-test-'));
  const children = new Set<ChildProcess>();
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
  }
  // One teardown, in this order: a child still running holds the files and the schema.
  t.teardown(async () => {
    await Promise.all([...children].map((child) => endChild(child)));
    fs.rmSync(dir, { recursive: true, force: true });
    if (server) await dropSchema(server, env.TROLLEY_DATABASE_SCHEMA!);
  });
  const start = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) => {
    // detached: the child leads a process group of its own, so ending the group ends all it started.
    const child = spawn(process.execPath, ['--import', PARENT_WATCH, TROLLEY_BIN, ...args], { env: { ...env, ...extra }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };
  return {
    home: env.TROLLEY_HOME!,
    env,
    spawn: (args, opts = {}) => start(args, opts.env),
    run: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const child = start(args, opts.env);
        let stdout = '';
        let stderr = '';
        const timeoutMs = opts.timeoutMs ?? CLI_RUN_TIMEOUT_MS;
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          void endChild(child);
        }, timeoutMs);
        child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          if (timedOut) reject(new Error(`trolley ${args.join(' ')} did not finish within ${timeoutMs / 1000} s, so the test ended it (pid ${child.pid}); its stderr:\n${stderr}`));
          else resolve({ code, stdout, stderr });
        });
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
