/**
 * Parsers for the date-like options several commands share (`--freshness 72h`, `--since 7d`,
 * `--as-of 2026-01-31`). They return undefined for text they cannot read, so each command words its
 * own usage error.
 */
import { durationDays } from './duration.js';

/** `72h`, `3d`, `1w` → whole days (the one duration grammar); `1m` or `90m` is a usage error, not a day. */
export function parseDays(text: string): number | undefined {
  return durationDays(text);
}

/** `YYYY-MM-DD` naming a real date, as given; undefined otherwise. */
export function parseIsoDate(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return undefined;
  const date = new Date(`${trimmed}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === trimmed ? trimmed : undefined;
}
