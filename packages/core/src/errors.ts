/**
 * Typed errors with documented exit codes. Every error a user can cause carries a message that is
 * one sentence saying what went wrong and how to fix it; the CLI prints only that sentence unless
 * the log level is debug.
 */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** A bug or an unexpected failure inside trolley or a plugin. */
  internal: 1,
  /** The command line is wrong: unknown flag, missing argument, bad flag value. */
  usage: 2,
  /** An input file, a configuration value or the data is wrong; nothing was changed. */
  input: 3,
  /** A website blocked the scraper; state is kept and the run can resume. */
  blocked: 4,
  /** The database cannot be used right now: unreachable, in use by another process, or behind on migrations. */
  unavailable: 5,
  /** Some of the work failed for a passing reason (pages that did not load); state is kept and a rerun retries just those. */
  incomplete: 6,
} as const;

export type ExitCodeName = keyof typeof ExitCode;

export class TrolleyError extends Error {
  readonly exitCode: number;
  readonly code: string;

  constructor(message: string, options: { code: string; exit: ExitCodeName; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = ExitCode[options.exit];
  }
}

export class UsageError extends TrolleyError {
  constructor(message: string, code = 'usage') {
    super(message, { code, exit: 'usage' });
  }
}

export class InputError extends TrolleyError {
  constructor(message: string, code = 'input', cause?: unknown) {
    super(message, { code, exit: 'input', cause });
  }
}

export class BlockedError extends TrolleyError {
  constructor(message: string, code = 'blocked') {
    super(message, { code, exit: 'blocked' });
  }
}

export class DatabaseUnavailableError extends TrolleyError {
  constructor(message: string, code = 'database-unavailable', cause?: unknown) {
    super(message, { code, exit: 'unavailable', cause });
  }
}

/** Duck-typed so that errors thrown by a plugin built against another copy of the core are still recognised. */
export function isTrolleyError(error: unknown): error is TrolleyError {
  return (
    error instanceof Error &&
    typeof (error as Partial<TrolleyError>).exitCode === 'number' &&
    typeof (error as Partial<TrolleyError>).code === 'string'
  );
}
