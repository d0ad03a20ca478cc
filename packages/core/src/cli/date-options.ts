/**
 * Parsers for the date-like options several commands share (`--freshness 72h`, `--since 7d`,
 * `--as-of 2026-01-31`). They return undefined for text they cannot read, so each command words its
 * own usage error.
 */

/** `72h`, `3d`, `90m` → whole days, rounded up (scrapes are dated by day). */
export function parseDays(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  const hours = unit === 'd' ? value * 24 : unit === 'h' ? value : value / 60;
  return Math.ceil(hours / 24 - 1e-9);
}

/** `YYYY-MM-DD` naming a real date, as given; undefined otherwise. */
export function parseIsoDate(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return undefined;
  const date = new Date(`${trimmed}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === trimmed ? trimmed : undefined;
}
