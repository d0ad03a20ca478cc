/** Small helpers for the plugin's SQL: driver-neutral rows and counts (array parameters come from the core). */

/** Rows of a `knex.raw` result (pg and PGlite both answer `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Affected row count of a `knex.raw` write. */
export function countOf(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}
