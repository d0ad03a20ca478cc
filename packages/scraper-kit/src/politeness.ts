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
