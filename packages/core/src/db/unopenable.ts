/**
 * Why the embedded database could not be opened, with the fix for that cause. Moving the directory
 * away is advice for a directory that is not a database; for a full or read-only disk it would
 * throw good data away, so those causes get their own sentence. PGlite does not always say why it
 * failed ("failed to initialize properly" after a write hit a full disk), so the free space of the
 * disk is read too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseUnavailableError } from '../errors.js';

/** Below this much free space a database that will not open is taken to be out of room. */
const LOW_SPACE_BYTES = 64 * 2 ** 20;

export function unopenableError(dir: string | undefined, error: unknown): DatabaseUnavailableError {
  const cause = causeOf(error);
  const where = dir ?? 'memory';
  const free = dir === undefined ? undefined : freeBytes(dir);
  if (/ENOSPC|No space left/i.test(cause) || (free !== undefined && free < LOW_SPACE_BYTES)) {
    const room = free === undefined ? '' : `, ${(free / 2 ** 20).toFixed(1)} MB free`;
    return new DatabaseUnavailableError(
      `The embedded database at ${where} cannot be opened because the disk holding it is full (${cause}${room}); free some space and run the command again (the database is kept as it was).`,
      'disk-full',
      error,
    );
  }
  if (/EROFS|EACCES|EPERM|read-only|permission/i.test(cause)) {
    return new DatabaseUnavailableError(
      `The embedded database at ${where} cannot be opened because its directory cannot be written (${cause}); make it writable or set TROLLEY_HOME to a writable folder.`,
      'database-read-only',
      error,
    );
  }
  return new DatabaseUnavailableError(
    `The embedded database at ${where} cannot be opened (${cause}); move that directory away to start afresh, or set DATABASE_URL to use a PostgreSQL server.`,
    'database-unopenable',
    error,
  );
}

/** Free bytes for an unprivileged writer on the disk that holds `dir` (or its nearest existing parent). */
function freeBytes(dir: string): number | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      const stats = fs.statfsSync(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (path.dirname(at) === at) return undefined;
    }
  }
}

/** The file-system errors of the embedded database's WebAssembly file system, by its errno numbers. */
const WASM_ERRNO: Record<number, string> = {
  2: 'EACCES: permission denied',
  19: 'EDQUOT: disk quota exceeded',
  20: 'EEXIST: file exists',
  29: 'EIO: input/output error',
  31: 'EISDIR: a folder where a file should be',
  44: 'ENOENT: no such file or folder',
  51: 'ENOSPC: no space left on the disk',
  54: 'ENOTDIR: a file where a folder should be',
  63: 'EPERM: operation not permitted',
  69: 'EROFS: read-only file system',
};

/** A sentence-sized cause for an error that may not be an Error (PGlite throws errno objects without a message). */
export function causeOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const { errno, code, message } = (error ?? {}) as { errno?: unknown; code?: unknown; message?: unknown };
  if (typeof message === 'string' && message) return message;
  if (typeof errno === 'number') return WASM_ERRNO[errno] ?? `file-system error ${errno}`;
  if (typeof code === 'string') return code;
  return String(error);
}
