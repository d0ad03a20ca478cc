/** The totals of an import over many files: what `import` prints last and `pipeline` sums up. */
import type { FileReport } from './import-file.js';

export interface ImportTotals {
  files: number;
  imported: number;
  /** Of the imported files, those loaded into price history only (older days, `import --backfill`). */
  backfilled: number;
  stale: number;
  failed: number;
  /** Files held back because an earlier file of their store failed in the same run. */
  held: number;
  /** Price records read from the files (stale ones too): the prices observed. */
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  history: number;
  rejects: number;
  newProducts: number;
  barcodesAdded: number;
}

export function importTotals(reports: readonly FileReport[]): ImportTotals {
  const sum = (f: (r: FileReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return {
    files: reports.length,
    imported: reports.filter((r) => r.mode === 'full' || r.mode === 'upsert' || r.mode === 'backfill').length,
    backfilled: reports.filter((r) => r.mode === 'backfill').length,
    stale: reports.filter((r) => r.mode === 'stale').length,
    failed: reports.filter((r) => r.mode === 'failed').length,
    held: reports.filter((r) => r.mode === 'held').length,
    records: sum((r) => r.records),
    inserted: sum((r) => r.rows.inserted),
    updated: sum((r) => r.rows.updated),
    unchanged: sum((r) => r.rows.unchanged),
    deleted: sum((r) => r.rows.deleted),
    history: sum((r) => r.history),
    rejects: sum((r) => r.rejects),
    newProducts: sum((r) => r.newProducts),
    barcodesAdded: sum((r) => r.barcodesAdded),
  };
}

/** Rows the import wrote or deleted: 0 when every file was stale or changed nothing. */
export function importChanges(t: ImportTotals): number {
  return t.inserted + t.updated + t.deleted + t.history + t.newProducts + t.barcodesAdded;
}
