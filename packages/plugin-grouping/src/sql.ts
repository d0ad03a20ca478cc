/** Small helpers for the plugin's SQL: arrays as parameters and driver-neutral numbers. */

/** A PostgreSQL array literal for `?::bigint[]` (arrays as parameters differ between pg and PGlite). */
export function idArray(ids: Iterable<number>): string {
  return `{${[...ids].map((id) => String(Math.trunc(id))).join(',')}}`;
}

/** A PostgreSQL array literal of dates (`YYYY-MM-DD` or null) for `?::date[]`. */
export function dateArray(dates: Iterable<string | null>): string {
  return `{${[...dates].map((d) => (d === null ? 'NULL' : d)).join(',')}}`;
}

/** Rows of a `knex.raw` result (pg and PGlite both answer `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Affected row count of a `knex.raw` write. */
export function countOf(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}
