/**
 * Current pricing (docs/groups.md): a store prices a product currently when that row was scraped within
 * the freshness window. The window ends at the **reference date**: `--as-of` when given, else the
 * newest `last_scraped_date` among the company's stores. Scrapes are dated by day, so the window is
 * counted in whole days (`72h` = 3 days, rounded up): with reference date D, rows scraped on
 * D − 3 days or later are current. Relative to the data rather than the wall clock, so a pipeline
 * that pauses, or a test on files from 2025, sees the same groups as on the day of the scrape.
 */
import type { Knex } from 'knex';
import { parseDays, parseIsoDate, UsageError } from '@trolley/core';
import { messages } from './messages.js';
import { rowsOf } from './sql.js';

export const DEFAULT_FRESHNESS = '72h';

/** `72h`, `3d`, `90m` → whole days (rounded up, at least 0). */
export function freshnessDays(text: string): number {
  const days = parseDays(text);
  if (days === undefined) throw new UsageError(messages.badFreshness(text), 'bad-freshness');
  return days;
}

/** `YYYY-MM-DD` (a real date) or a usage error. */
export function parseAsOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const date = parseIsoDate(text);
  if (date === undefined) throw new UsageError(messages.badAsOf(text), 'bad-as-of');
  return date;
}

export interface CompanyWindow {
  readonly companyId: number;
  readonly company: string;
  /** The reference date, `YYYY-MM-DD` (null: the company has never been scraped). */
  readonly reference: string | null;
  /** Rows scraped on or after this date are current (null: nothing is). */
  readonly cutoff: string | null;
}

/** The freshness window of every company, in one query. */
export async function companyWindows(knex: Knex, options: { days: number; asOf?: string | undefined }): Promise<CompanyWindow[]> {
  const rows = rowsOf<{ id: number | string; name: string; reference: string | null; cutoff: string | null }>(
    await knex.raw(
      `select c.id, c.name, to_char(r.reference, 'YYYY-MM-DD') as reference, to_char(r.reference - ?::int, 'YYYY-MM-DD') as cutoff
       from companies c
       cross join lateral (select coalesce(?::date, max(s.last_scraped_date)) as reference from stores s where s.company_id = c.id) r
       order by c.name`,
      [options.days, options.asOf ?? null],
    ),
  );
  return rows.map((r) => ({ companyId: Number(r.id), company: r.name, reference: r.reference, cutoff: r.cutoff }));
}
