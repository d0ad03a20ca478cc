/**
 * What a database error during an import means for the user. A value the schema refuses (a data
 * exception, a broken constraint, a row over a size limit) is the file's fault: the file fails with
 * exit 3 and the run goes on. A full disk or a database that went away is not: the run stops with
 * its own sentence and exit code. Anything else is a bug and stays as it is.
 */
import path from 'node:path';
import { DatabaseUnavailableError, TrolleyError } from '../errors.js';

/** SQLSTATE classes whose errors a file's values cause: data exception, integrity, program limits. */
const FILE_CLASSES = new Set(['22', '23', '54']);
/** Errors of the place the database lives, not of the file. */
const DISK_FULL = new Set(['53100', 'ENOSPC']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);
const GONE = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The one-sentence reason a file was refused by the database, or undefined when the error is not the file's. */
export function refusalOf(file: string, error: unknown): string | undefined {
  const code = sqlState(error);
  if (code === undefined || code.length !== 5 || !FILE_CLASSES.has(code.slice(0, 2))) return undefined;
  const reason = databaseSentence(error);
  return `${path.basename(file)} was refused by the database (${reason}); fix or remove the file and import again.`;
}

/** What was in hand when the database failed, and what that means for the user's data. */
export interface FailedWork {
  readonly during: string;
  readonly kept: string;
}

const IMPORT: FailedWork = { during: 'the import', kept: 'each file is in the database whole or not at all' };
/** Any other command: its writes are per step, each in one transaction. */
export const COMMAND: FailedWork = { during: 'the command', kept: 'the step in hand was rolled back, the steps before it are kept' };

/** A database error that ends the run with a sentence of its own (exit 5), or undefined. */
export function environmentFailure(error: unknown, work: FailedWork = IMPORT): TrolleyError | undefined {
  const code = sqlState(error) ?? errnoIn(error);
  const cause = databaseSentence(error);
  if (code !== undefined && DISK_FULL.has(code)) {
    return new DatabaseUnavailableError(`The disk holding the database is full (${cause}); free some space and run the command again (${work.kept}).`, 'disk-full', error);
  }
  if (code !== undefined && READ_ONLY.has(code)) {
    return new DatabaseUnavailableError(`The database cannot write to its directory (${cause}); make it writable or set TROLLEY_HOME to a writable directory, then run the command again.`, 'database-read-only', error);
  }
  if (code !== undefined && GONE.has(code)) {
    return new DatabaseUnavailableError(`The database went away during ${work.during} (${cause}); start it again and rerun the command (${work.kept}).`, 'database-gone', error);
  }
  return undefined;
}

function errnoIn(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : String(error);
  return /\b(ENOSPC|EROFS|EACCES)\b/.exec(text)?.[1] ?? (/No space left on device/i.test(text) ? 'ENOSPC' : /Read-only file system/i.test(text) ? 'EROFS' : undefined);
}

/** The database's own words, without the SQL statement knex puts in front of them. */
export function databaseSentence(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split(' - ').pop() ?? text).split('\n')[0]!.trim().slice(0, 200);
}
