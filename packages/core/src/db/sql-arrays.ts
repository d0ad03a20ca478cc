/**
 * PostgreSQL array literals for `?::bigint[]`, `?::text[]` and `?::date[]` parameters: pg and PGlite
 * pass JavaScript arrays differently, a literal string the same way.
 */

export function bigintArray(ids: Iterable<number>): string {
  return `{${[...ids].map((id) => String(Math.trunc(id))).join(',')}}`;
}

/** Every element quoted, so commas, braces, spaces and the word NULL stay text. */
export function textArray(values: Iterable<string>): string {
  return `{${[...values].map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** Dates as `YYYY-MM-DD`; null stays NULL. */
export function dateArray(dates: Iterable<string | null>): string {
  return `{${[...dates].map((d) => (d === null ? 'NULL' : d)).join(',')}}`;
}
