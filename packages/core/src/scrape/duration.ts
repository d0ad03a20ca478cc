/**
 * Durations on the command line: `2s`, `500ms`, `1.5s`, `2m`, or a bare number of seconds (`0`).
 */
import { UsageError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration text; a usage error naming the flag otherwise. */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a duration; write it like 2s, 500ms or 0.`, 'bad-duration');
  return Math.round(Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!);
}
