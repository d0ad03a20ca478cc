/**
 * An exclusive lock on the embedded database directory. PGlite has one connection and nothing
 * stops two processes from opening one data directory and silently diverging, so the first process
 * writes its pid into `<dir>.lock`; a second process is told who holds it. A lock left by a process
 * that no longer runs is taken over, and so is one whose pid now belongs to another process (the
 * lock records the holder's start time, which a reused pid does not share).
 */
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
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
        lock.held = true;
        process.once('exit', lock.releaseOnExit);
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(file, error);
        const holder = readOwner(file);
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
        // The holder is gone, its pid now names another process, or the file is unreadable: the lock is stale.
        try {
          fs.rmSync(file, { force: true });
        } catch (error) {
          throw unwritable(file, error);
        }
      }
    }
    throw new DatabaseUnavailableError(`Could not lock the embedded database (${file}); another process keeps taking it, so run the command again.`, 'database-in-use');
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener('exit', this.releaseOnExit);
    if (readOwner(this.file)?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
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
