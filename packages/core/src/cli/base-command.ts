/**
 * The base of every trolley command: the shared flags, one {@link Kernel} per invocation, errors
 * rendered as one sentence with a documented exit code, and the database closed at the end.
 */
import { Command, Flags, type Interfaces } from '@oclif/core';
import { resolveConfig, LOG_FORMATS, LOG_LEVELS } from '../context/config.js';
import { Kernel } from '../context/kernel.js';
import { ExitCode, isTrolleyError } from '../errors.js';
import { COMMAND, environmentFailure, sqlState } from '../import/database-refusal.js';
import { clearStatusLine } from '../context/status-line.js';
import { renderTable, type RenderTableOptions } from './table.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof TrolleyCommand)['baseFlags'] & T['flags']>;

export abstract class TrolleyCommand<T extends typeof Command = typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'database-url': Flags.string({
      description: 'PostgreSQL connection string (default: DATABASE_URL, else the embedded database in TROLLEY_HOME).',
      helpGroup: 'GLOBAL',
    }),
    'log-level': Flags.string({
      description: 'Log level: fatal, error, warn, info, debug, trace or silent (default: TROLLEY_LOG_LEVEL or info).',
      options: [...LOG_LEVELS],
      helpGroup: 'GLOBAL',
    }),
    'log-format': Flags.string({
      description: 'Log format on stderr: pretty on a terminal and json elsewhere by default.',
      options: [...LOG_FORMATS],
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  private kernelPromise: Promise<Kernel> | undefined;

  public override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse({ flags: this.ctor.flags, baseFlags: (this.ctor as typeof TrolleyCommand).baseFlags, args: this.ctor.args, strict: this.ctor.strict, enableJsonFlag: this.ctor.enableJsonFlag });
    this.flags = flags as BaseFlags<T>;
  }

  /** Output on stdout: the progress line on the terminal is cleared first. */
  public override log(message = '', ...args: unknown[]): void {
    clearStatusLine();
    super.log(message, ...args);
  }

  /** Prints a table for people; nothing with --json, whose result carries the same rows. */
  protected async logTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options?: RenderTableOptions): Promise<void> {
    if (this.jsonEnabled()) return;
    this.log(await renderTable(header, rows, options));
  }

  /** The kernel of this invocation, built on first use (commands that never ask open nothing). */
  protected kernel(): Promise<Kernel> {
    this.kernelPromise ??= Kernel.forOclif(this.config, {
      config: resolveConfig({ dataDir: this.config.dataDir, env: process.env, flags: this.flags }),
    });
    return this.kernelPromise;
  }

  /**
   * Ends a command whose result is complete but not a success (some files failed, say): the result
   * is still printed with --json, and the process exits with `exitCode`.
   */
  protected finish<R>(result: R, exitCode: number): R {
    if (exitCode === 0) return result;
    if (this.jsonEnabled()) this.logJson(result);
    this.exited = true;
    return this.exit(exitCode);
  }

  private exited = false;

  protected override async catch(thrown: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (this.exited) throw thrown;
    // The database's own word (an SQLSTATE) for a full disk or a server that went away, met by any
    // command: its own sentence and exit 5. (A file-system error of the command's own files is not the database's.)
    const fromDatabase = !isTrolleyError(thrown) && /^[0-9A-Z]{5}$/.test(sqlState(thrown) ?? '');
    const error: Error & { exitCode?: number; oclif?: { exit?: number } } = (fromDatabase ? environmentFailure(thrown, COMMAND) : undefined) ?? thrown;
    const exitCode = isTrolleyError(error) ? error.exitCode : (error.oclif?.exit ?? ExitCode.internal);
    if (exitCode === 0 && error.oclif?.exit === 0) throw error; // this.exit(0): not an error
    const code = isTrolleyError(error) ? error.code : error.oclif?.exit === ExitCode.usage ? 'usage' : 'internal';
    const message = oneLine(error.message) || error.name;
    const debug = this.logLevel() === 'debug' || this.logLevel() === 'trace';
    clearStatusLine();
    if (this.jsonEnabled()) {
      this.logJson({ status: exitCode, error: { name: error.name, code, message, exitCode, ...(debug ? { stack: error.stack } : {}) } });
    } else {
      process.stderr.write(`trolley: ${message}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      else if (code === 'internal') process.stderr.write('(run again with --log-level debug to see where it happened)\n');
    }
    return this.exit(exitCode);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    if (this.kernelPromise) await (await this.kernelPromise.catch(() => undefined))?.dispose();
    return super.finally(error);
  }

  private logLevel(): string | undefined {
    return (this.flags?.['log-level'] as string | undefined) ?? process.env.TROLLEY_LOG_LEVEL;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
