/**
 * The one duration grammar of every flag (`--delay 2s`, `--timeout 1m30s`, `--since 7d`,
 * `--freshness 72h`), read by parse-duration: a number with a unit — ms, s, m (minutes), h, d, w —
 * or several (`1h30m`); a bare number is seconds. `1m` is one minute everywhere; a flag counted in
 * days refuses anything that is not a whole number of days instead of rounding it.
 */
import parse from 'parse-duration';
import { UsageError } from '../errors.js';

const DAY_MS = 86_400_000;

/** Milliseconds of a duration text, or undefined when it is not one (or is negative). */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : parse(trimmed);
  return ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0 ? undefined : Math.round(ms);
}

/** Milliseconds of a duration text; a usage error naming the flag otherwise. */
export function parseDuration(text: string, flag: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a duration; write it like 2s, 500ms, 1m30s or 0.`, 'bad-duration');
  return ms;
}

/**
 * Whole days of a duration text (`3d`, `72h`, `1w`), or undefined when the text is not a duration.
 * A duration that is not a whole number of days is a usage error: scrapes are dated by day, and
 * `1m` silently meaning a day would hide the mistake.
 */
export function durationDays(text: string): number | undefined {
  const ms = durationMs(text);
  if (ms === undefined) return undefined;
  if (ms % DAY_MS !== 0) {
    throw new UsageError(`"${text.trim()}" is ${describeMs(ms)}, not a whole number of days; prices are dated by day, so give days like 1d, 3d, 72h or 1w.`, 'bad-days');
  }
  return ms / DAY_MS;
}

function describeMs(ms: number): string {
  const units: Array<[number, string]> = [[3_600_000, 'hour'], [60_000, 'minute'], [1_000, 'second'], [1, 'millisecond']];
  for (const [size, name] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  return `${ms} ms`;
}
