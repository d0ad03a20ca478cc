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
