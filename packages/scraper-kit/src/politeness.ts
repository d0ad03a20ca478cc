/**
 * Politeness: at least `delayMs` between requests (counted from the previous response, so at one
 * request at a time the site sees the gap), plus a random share of up to `jitterMs` so the
 * requests do not tick like a clock, and a shared pause for Retry-After and retry backoff
 * that holds back every request, not just the one that failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class PolitenessGate {
  private nextAt = 0;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly delayMs: number,
    private readonly now: () => number = Date.now,
    private readonly jitterMs: number = 0,
    private readonly random: () => number = Math.random,
  ) {}

  private pause(): number {
    return this.delayMs + (this.jitterMs > 0 ? Math.round(this.random() * this.jitterMs) : 0);
  }

  /** Resolves when this request may start; starts are handed out one at a time. */
  acquire(): Promise<void> {
    const mine = this.turn.then(async () => {
      for (let wait = this.nextAt - this.now(); wait > 0; wait = this.nextAt - this.now()) await sleep(wait);
      this.nextAt = this.now() + this.pause();
    });
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  /** A response arrived (or a request failed): the next start waits `delayMs` from now. */
  release(): void {
    this.nextAt = Math.max(this.nextAt, this.now() + this.pause());
  }

  /** No request starts before `until` (epoch ms). */
  pauseUntil(until: number): void {
    this.nextAt = Math.max(this.nextAt, until);
  }
}

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `retry` (1-based): base, 2×base, 4×base… capped at `cap`. */
export function backoffMs(retry: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, retry - 1));
}

/** A Retry-After longer than this is not waited out: the run stops as blocked (state kept). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface FailedRequest {
  readonly request: { readonly url: string; readonly retryCount: number; noRetry: boolean };
  readonly response?: { readonly statusCode?: number; readonly headers?: Record<string, string | string[] | undefined> } | undefined;
  readonly error: Error;
}

/**
 * A crawler's answer to a failed request it may retry: a 429 or 503 whose Retry-After is longer
 * than {@link MAX_RETRY_AFTER_MS} blocks the run (`block`, no retry); otherwise the gate pauses for
 * the Retry-After, or the back-off of this retry, and the retry is logged.
 */
export function pauseBeforeRetry(
  { request, response, error }: FailedRequest,
  options: { gate: PolitenessGate; block: (url: string, reason: string) => void; logger: { info(fields: object, message: string): void }; retryBackoffMs: number },
): void {
  const status = response?.statusCode;
  const retryAfter = status === 429 || status === 503 ? retryAfterMs(response?.headers?.['retry-after']) : undefined;
  if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) {
    request.noRetry = true;
    options.block(request.url, `HTTP ${status} with Retry-After ${Math.round(retryAfter / 1000)}s (longer than ${MAX_RETRY_AFTER_MS / 60_000} minutes)`);
    return;
  }
  const wait = retryAfter ?? backoffMs(request.retryCount + 1, options.retryBackoffMs, MAX_RETRY_AFTER_MS);
  options.logger.info({ url: request.url, retry: request.retryCount + 1, waitMs: wait, status }, `retrying ${request.url} in ${wait} ms: ${firstLine(error.message)}`);
  options.gate.pauseUntil(Date.now() + wait);
}

/** An error's first line, at most 300 characters: what a log line or a report says of it. */
export function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
