import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLock, processStartTime } from '../src/db/lock.js';
import { ExitCode } from '../src/errors.js';

function tempLockFile(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-lock-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'db.lock');
}

test('a second holder is refused with the pid of the first; release frees it', async (t) => {
  const file = tempLockFile(t);
  // Another live process holds the lock.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  t.teardown(() => holder.kill());
  fs.writeFileSync(file, JSON.stringify({ pid: holder.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'db migrate', started: processStartTime(holder.pid!) }));
  const error = t.throws(() => DataDirLock.acquire(file));
  t.regex(error?.message ?? '', new RegExp(`in use by process ${holder.pid} \\(trolley db migrate, since 2026-01-01T00:00:00.000Z\\)`));
  t.is((error as { exitCode?: number }).exitCode, ExitCode.unavailable);
  t.true(fs.existsSync(file), 'the holder keeps its lock');
});

test('a lock left by a dead process is taken over, and released on release()', async (t) => {
  const file = tempLockFile(t);
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => dead.on('close', resolve));
  fs.writeFileSync(file, JSON.stringify({ pid: dead.pid, host: os.hostname(), since: 'x', command: '' }));
  const lock = DataDirLock.acquire(file);
  t.is(JSON.parse(fs.readFileSync(file, 'utf8')).pid, process.pid);
  lock.release();
  t.false(fs.existsSync(file));
  lock.release();
});

test('the same process cannot open the database twice', (t) => {
  const file = tempLockFile(t);
  const lock = DataDirLock.acquire(file);
  t.teardown(() => lock.release());
  const error = t.throws(() => DataDirLock.acquire(file));
  t.regex(error?.message ?? '', new RegExp(`in use by process ${process.pid}`));
});

test('a lock naming a live pid that now belongs to an unrelated process (pid reuse) is stale: taken over, not reported as a trolley command', async (t) => {
  const file = tempLockFile(t);
  const stranger = spawn('sleep', ['60']);
  t.teardown(() => stranger.kill());
  await new Promise((resolve) => stranger.once('spawn', resolve));
  const started = processStartTime(stranger.pid!);
  t.truthy(started, 'the start time of a process is known on Linux');
  // Written by a trolley process that had this pid before: its start time was another.
  fs.writeFileSync(file, JSON.stringify({ pid: stranger.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'import inbox', started: String(Number(started) - 1000) }));
  const lock = DataDirLock.acquire(file);
  t.teardown(() => lock.release());
  const written = JSON.parse(fs.readFileSync(file, 'utf8'));
  t.is(written.pid, process.pid);
  t.is(written.started, processStartTime(process.pid));
  t.is(stranger.exitCode, null, 'the unrelated process is left alone');
});

/**
 * Processes started at the same moment race for one lock file, a few rounds over: with no lock file,
 * and over a stale lock left by a dead process. Exactly one takes it each round; the others are told
 * the database is in use. (A lock file is never seen half-written, and a stale lock is taken over
 * by one process only.)
 */
async function race(file: string, contenders: number): Promise<{ won: number; refused: string[] }> {
  const lockModule = new URL('../src/db/lock.js', import.meta.url).href;
  const startAt = Date.now() + 1500;
  // Each says whether it took the lock, then holds it until its input closes, after all have said.
  const child = `
    const { DataDirLock } = await import(${JSON.stringify(lockModule)});
    while (Date.now() < ${startAt});
    let lock;
    try {
      lock = DataDirLock.acquire(${JSON.stringify(file)});
      console.log('won');
    } catch (error) {
      console.log('refused: ' + error.message);
    }
    process.stdin.resume();
    process.stdin.on('end', () => lock?.release());`;
  const children = Array.from({ length: contenders }, () => spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = await Promise.all(
    children.map((p) => {
      let out = '';
      return new Promise<string>((resolve) =>
        p.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.endsWith('\n')) resolve(out.trim());
        }),
      );
    }),
  );
  await Promise.all(children.map((p) => (p.stdin.end(), new Promise((resolve) => p.on('close', resolve)))));
  return { won: outputs.filter((o) => o === 'won').length, refused: outputs.filter((o) => o.startsWith('refused: ')) };
}

test('processes that take the lock at the same moment: exactly one holds it, the others are told it is in use (no lock file, and a stale one)', async (t) => {
  const file = tempLockFile(t);
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => dead.on('close', resolve));
  for (let round = 0; round < 6; round++) {
    const stale = round % 2 === 1;
    if (stale) fs.writeFileSync(file, JSON.stringify({ pid: dead.pid, host: os.hostname(), since: 'x', command: '' }));
    const { won, refused } = await race(file, 8);
    t.is(won, 1, `round ${round} (${stale ? 'over a stale lock' : 'no lock file'}): one holder`);
    t.is(refused.length, 7, `round ${round}: the others are refused`);
    for (const message of refused) t.regex(message, /in use/);
    t.false(fs.existsSync(file), 'the holder released the lock');
    t.deepEqual(fs.readdirSync(path.dirname(file)), [], 'no temporary file is left beside it');
  }
});

test('an unreadable lock file is being written by another process while it is new, and stale once it is old', (t) => {
  const file = tempLockFile(t);
  fs.writeFileSync(file, '');
  const error = t.throws(() => DataDirLock.acquire(file));
  t.regex(error?.message ?? '', /in use: another process is taking its lock/);
  t.is(fs.readFileSync(file, 'utf8'), '', 'the other process keeps its lock');
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
  const lock = DataDirLock.acquire(file);
  t.is(JSON.parse(fs.readFileSync(file, 'utf8')).pid, process.pid);
  lock.release();
  t.false(fs.existsSync(file));
});
