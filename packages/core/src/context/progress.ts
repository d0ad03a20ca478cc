/**
 * Progress of long work. On a terminal: one line redrawn in place, `label x/y rate/s ETA`, or
 * `label 4s` for work without a count (opening the database); the elapsed time is redrawn every
 * second even while nothing is counted, and the ETA appears only once enough of the work has been
 * seen to be worth stating. When the task ends the line is cleared and its summary is one log line.
 * Anywhere else: nothing but a log line when the work starts and one when it ends, so a pipe stays
 * quiet.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { statusLineOf, type StatusLine, type TerminalStream } from './status-line.js';

export interface ProgressTask {
  /** Count `n` more units as done. */
  tick(n?: number): void;
  /** Change the total when it becomes known. */
  setTotal(total: number): void;
  /** Stop the line; the task's summary goes to the log. */
  done(): void;
}

export interface ProgressStartOptions {
  /** Log the task's summary at debug level only (its caller reports the outcome itself). */
  readonly quiet?: boolean;
}

export interface ProgressReporter {
  start(label: string, total?: number, options?: ProgressStartOptions): ProgressTask;
}

export interface ProgressOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  /** The terminal stream; the line is drawn only when it is a TTY. Default stderr. */
  readonly stream?: TerminalStream;
  /** Redraw at most this often (ms). */
  readonly throttleMs?: number;
  /** Redraw this often while nothing is counted, so the elapsed time moves (ms; 0 = never). */
  readonly heartbeatMs?: number;
}

/** The ETA is shown once this much time has passed… */
export const ETA_AFTER_MS = 3_000;
/** …and this many counts have come in, or this share of the work is done. */
export const ETA_AFTER_SAMPLES = 10;
export const ETA_AFTER_SHARE = 0.05;

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  return {
    start(label, total, startOptions = {}) {
      return tty ? new TerminalLine(label, total, statusLineOf(stream), options, startOptions) : new LoggedTask(label, total, options, startOptions);
    },
  };
}

/**
 * Formats `label 1,200/5,000 300/s ETA 13s` (shared by the terminal line and its tests): `label 4s`
 * while nothing is counted, and no ETA until {@link etaReady}.
 */
export function formatProgress(label: string, done: number, total: number | undefined, elapsedMs: number, samples = Number.POSITIVE_INFINITY): string {
  if (done === 0 && total === undefined) return `${label} ${formatDuration(elapsedMs)}`;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const count = total === undefined ? `${done.toLocaleString('en-AU')}` : `${done.toLocaleString('en-AU')}/${total.toLocaleString('en-AU')}`;
  const parts = [label, count, `${formatRate(rate)}/s`];
  if (total !== undefined && rate > 0 && etaReady(done, total, elapsedMs, samples)) parts.push(`ETA ${formatDuration(((total - done) / rate) * 1000)}`);
  return parts.join(' ');
}

/** Enough has been seen for an ETA: a few seconds, and several counts or a share of the work. */
export function etaReady(done: number, total: number, elapsedMs: number, samples: number): boolean {
  return elapsedMs >= ETA_AFTER_MS && done < total && (samples >= ETA_AFTER_SAMPLES || done >= total * ETA_AFTER_SHARE);
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
  private samples = 0;
  private readonly started: number;
  private lastDraw = 0;
  private readonly heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly line: StatusLine,
    private readonly options: ProgressOptions,
    private readonly startOptions: ProgressStartOptions,
  ) {
    this.started = options.clock.now().getTime();
    line.claim(this);
    this.draw(true);
    const every = options.heartbeatMs ?? 1_000;
    if (every > 0) {
      this.heartbeat = setInterval(() => this.draw(true), every);
      this.heartbeat.unref();
    }
  }

  tick(n = 1): void {
    this.done_ += n;
    this.samples++;
    this.draw(false);
  }

  setTotal(total: number): void {
    this.total = total;
    this.draw(true);
  }

  done(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.line.owns(this)) this.line.clear();
    this.line.release(this);
    logSummary(this.options.logger, this.label, this.done_, this.total, this.options.clock.now().getTime() - this.started, this.startOptions.quiet);
  }

  private draw(force: boolean): void {
    const now = this.options.clock.now().getTime();
    if (!this.line.owns(this) || (!force && now - this.lastDraw < (this.options.throttleMs ?? 100))) return;
    this.lastDraw = now;
    this.line.draw(formatProgress(this.label, this.done_, this.total, now - this.started, this.samples));
  }
}

class LoggedTask implements ProgressTask {
  private done_ = 0;
  private readonly started: number;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly options: ProgressOptions,
    private readonly startOptions: ProgressStartOptions = {},
  ) {
    this.started = options.clock.now().getTime();
    options.logger[startOptions.quiet ? 'debug' : 'info']({ task: label, total }, `${label} started`);
  }

  tick(n = 1): void {
    this.done_ += n;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  done(): void {
    logSummary(this.options.logger, this.label, this.done_, this.total, this.options.clock.now().getTime() - this.started, this.startOptions.quiet);
  }
}

function logSummary(logger: Logger, label: string, done: number, total: number | undefined, elapsedMs: number, quiet = false): void {
  const count = done === 0 && total === undefined ? '' : ` ${done.toLocaleString('en-AU')}`;
  // Work of under a second is not news at info level.
  logger[quiet || elapsedMs < 1_000 ? 'debug' : 'info']({ task: label, done, seconds: elapsedMs / 1000 }, `${label} finished:${count} in ${formatDuration(elapsedMs)}`);
}
