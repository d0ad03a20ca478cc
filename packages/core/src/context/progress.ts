/**
 * Progress of long work. On a terminal: one updating line `label x/y rate/s ETA`. Anywhere else:
 * nothing but a log line when the work starts and one when it ends, so a pipe stays quiet.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';

export interface ProgressTask {
  /** Count `n` more units as done. */
  tick(n?: number): void;
  /** Change the total when it becomes known. */
  setTotal(total: number): void;
  /** Stop the line; the task's summary goes to the log. */
  done(): void;
}

export interface ProgressReporter {
  start(label: string, total?: number): ProgressTask;
}

export interface ProgressOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  /** The terminal stream; the line is drawn only when it is a TTY. Default stderr. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw at most this often (ms). */
  readonly throttleMs?: number;
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  return {
    start(label, total) {
      return tty ? new TerminalLine(label, total, stream, options) : new LoggedTask(label, total, options);
    },
  };
}

/** Formats `label 1,200/5,000 300/s ETA 13s`: shared by the terminal line and its tests. */
export function formatProgress(label: string, done: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const count = total === undefined ? `${done.toLocaleString('en-AU')}` : `${done.toLocaleString('en-AU')}/${total.toLocaleString('en-AU')}`;
  const parts = [label, count, `${formatRate(rate)}/s`];
  if (total !== undefined) {
    parts.push(`ETA ${rate > 0 ? formatDuration(((total - done) / rate) * 1000) : '?'}`);
  }
  return parts.join(' ');
}

function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-AU') : rate.toFixed(1);
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

class TerminalLine implements ProgressTask {
  private done_ = 0;
  private readonly started: number;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly stream: NodeJS.WritableStream & { columns?: number },
    private readonly options: ProgressOptions,
  ) {
    this.started = options.clock.now().getTime();
    this.draw(true);
  }

  tick(n = 1): void {
    this.done_ += n;
    this.draw(false);
  }

  setTotal(total: number): void {
    this.total = total;
    this.draw(true);
  }

  done(): void {
    this.draw(true);
    this.stream.write('\n');
    logSummary(this.options.logger, this.label, this.done_, this.options.clock.now().getTime() - this.started);
  }

  private draw(force: boolean): void {
    const now = this.options.clock.now().getTime();
    if (!force && now - this.lastDraw < (this.options.throttleMs ?? 100)) return;
    this.lastDraw = now;
    const line = formatProgress(this.label, this.done_, this.total, now - this.started);
    const width = this.stream.columns ?? 120;
    this.stream.write(`\r${line.slice(0, width - 1)}\u001b[K`);
  }
}

class LoggedTask implements ProgressTask {
  private done_ = 0;
  private readonly started: number;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly options: ProgressOptions,
  ) {
    this.started = options.clock.now().getTime();
    options.logger.info({ task: label, total }, `${label} started`);
  }

  tick(n = 1): void {
    this.done_ += n;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  done(): void {
    logSummary(this.options.logger, this.label, this.done_, this.options.clock.now().getTime() - this.started);
  }
}

function logSummary(logger: Logger, label: string, done: number, elapsedMs: number): void {
  logger.info({ task: label, done, seconds: elapsedMs / 1000 }, `${label} finished: ${done.toLocaleString('en-AU')} in ${formatDuration(elapsedMs)}`);
}
