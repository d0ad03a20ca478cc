/**
 * An exclusive lock on the embedded database directory. PGlite has one connection and nothing
 * stops two processes from opening one data directory and silently diverging, so the first process
 * writes its pid into `<dir>.lock` (whole, in one step, so no process ever reads it half-written);
 * a second process is told who holds it. A lock left by a process
 * that no longer runs is taken over, and so is one whose pid now belongs to another process (the
 * lock records the holder's start time, which a reused pid does not share).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { DatabaseUnavailableError } from '../errors.js';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly command: string;
  /** When the holder started, as the kernel counts it (Linux); a live pid with another start time is another process that got the pid again. */
  readonly started?: string;
}

export class DataDirLock {
  private held = false;
  private readonly releaseOnExit = () => this.release();

  private constructor(readonly file: string) {}

  /** Takes the lock or throws a {@link DatabaseUnavailableError} naming the holder. */
  static acquire(file: string, command = process.argv.slice(2).join(' ')): DataDirLock {
    const lock = new DataDirLock(file);
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command, started: processStartTime(process.pid) };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (create(file, JSON.stringify(owner))) {
        lock.held = true;
        process.once('exit', lock.releaseOnExit);
        return lock;
      }
      const seen = readLock(file);
      if (seen === undefined) continue; // released between our try and our look: try again
      const holder = parseOwner(seen.text);
      if (holder && holder.host === os.hostname() && isAlive(holder.pid) && !pidReused(holder)) {
        throw new DatabaseUnavailableError(
          `The embedded database is in use by process ${holder.pid} (${holder.command ? `trolley ${holder.command}, ` : ''}since ${holder.since}); wait for it to finish, or stop it, then run the command again.`,
          'database-in-use',
        );
      }
      if (holder && holder.host !== os.hostname()) {
        throw new DatabaseUnavailableError(
          `The embedded database is locked by process ${holder.pid} on host ${holder.host}; if that process is gone, delete ${file} and run the command again.`,
          'database-in-use',
        );
      }
      // The holder is gone, its pid now names another process, or the file was left unreadable: the lock is stale.
      if ((!holder && Date.now() - seen.modified < UNREADABLE_GRACE_MS) || !takeOver(file, seen.text)) break;
    }
    throw new DatabaseUnavailableError(
      `The embedded database is in use: another process is taking its lock (${file}) right now; run the command again in a moment.`,
      'database-in-use',
    );
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener('exit', this.releaseOnExit);
    const seen = readLock(this.file);
    if (seen && parseOwner(seen.text)?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

/** A lock file that cannot be read as an owner is taken to be stale only once it is this old. */
const UNREADABLE_GRACE_MS = 2000;

/**
 * Creates the lock file with its whole content, or answers false when one exists. The content is
 * written to a file of this process's own and linked into place, so no other process ever reads a
 * lock half-written (and takes an empty file for a stale lock).
 */
function create(file: string, content: string): boolean {
  const own = uniqueBeside(file, 'new');
  try {
    fs.writeFileSync(own, content, { flag: 'wx' });
    fs.linkSync(own, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: an exclusive create is the next best.
    if (code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusive(file, content);
    throw unwritable(file, error);
  } finally {
    fs.rmSync(own, { force: true });
  }
}

function createExclusive(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unwritable(file, error);
  }
}

/**
 * Removes a stale lock whose content was `stale`, and only that one. Two processes that both judged
 * the lock stale must not both remove a lock (the second would remove the first's new one), so
 * removing takes a second, short-lived lock `<lock>.breaking` first; under it the lock file can
 * only change by being removed, and it is removed only while it still says what was judged stale.
 * Answers false when another process is taking the lock over right now.
 */
function takeOver(file: string, stale: string): boolean {
  const breaker = `${file}.breaking`;
  if (!create(breaker, String(process.pid))) {
    // Its holder needs a moment; one left by a process killed in that moment is removed once old.
    const seen = readLock(breaker);
    if (seen && Date.now() - seen.modified > UNREADABLE_GRACE_MS) fs.rmSync(breaker, { force: true });
    return false;
  }
  try {
    if (readLock(file)?.text === stale) removeLock(file);
    return true;
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function removeLock(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (error) {
    throw unwritable(file, error);
  }
}

function uniqueBeside(file: string, purpose: string): string {
  return `${file}.${purpose}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

/** The lock file's text and when it was last written, or undefined when there is none. */
function readLock(file: string): { text: string; modified: number } | undefined {
  try {
    const modified = fs.statSync(file).mtimeMs;
    return { text: fs.readFileSync(file, 'utf8'), modified };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A folder in its place, or no permission to read it: nothing this process can take over.
    throw unwritable(file, error);
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or undefined where
 * there is no /proc (the lock then trusts the pid alone).
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** The holder's pid runs, but it is not the process that wrote the lock. */
function pidReused(holder: LockOwner): boolean {
  if (holder.started === undefined) return false;
  const now = processStartTime(holder.pid);
  return now !== undefined && now !== holder.started;
}

/** The lock file cannot be written or removed: a read-only disk, a folder in its place, no permission. */
function unwritable(file: string, error: unknown): DatabaseUnavailableError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EROFS'
      ? 'the disk is read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EISDIR' || code === 'ERR_FS_EISDIR'
            ? 'a folder is in its place'
            : ((error as Error).message ?? String(error));
  return new DatabaseUnavailableError(
    `The embedded database's lock file ${file} cannot be written (${why}); set TROLLEY_HOME to a writable folder (or move away what is in the way), or set DATABASE_URL to use a PostgreSQL server.`,
    'home-not-writable',
    error,
  );
}
