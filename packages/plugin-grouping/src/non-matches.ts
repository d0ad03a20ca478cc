/**
 * Remembered non-matches (docs/groups.md): a pair of groups whose anchors did not match is not compared
 * again for 7 days, unless either anchor has been scraped since (its price version, the anchor's
 * `last_scraped_date`, changed).
 */
import { bigintArray } from '@trolley/core';
import type { Knex } from 'knex';
import type { AnchorGroup } from './candidates.js';
import { pairKey } from './candidates.js';
import { countOf, rowsOf } from './sql.js';

export const REMEMBER_DAYS = 7;

const cutoffOf = (now: Date) => new Date(now.getTime() - REMEMBER_DAYS * 86_400_000).toISOString();

/** Deletes memories that expired or that a newer scrape of either anchor voided; returns how many. */
export async function forgetVoidedNonMatches(db: Knex, now: Date): Promise<number> {
  return countOf(
    await db.raw(
      `delete from store_group_non_matches n
       using store_groups ga, stores sa, store_groups gb, stores sb
       where ga.id = n.group_a and sa.id = ga.anchor_store_id and gb.id = n.group_b and sb.id = gb.anchor_store_id
         and (n.compared_at <= ?::timestamptz
              or n.anchor_a_scrape is distinct from sa.last_scraped_date
              or n.anchor_b_scrape is distinct from sb.last_scraped_date)`,
      [cutoffOf(now)],
    ),
  );
}

/** The valid remembered pairs of one company, as {@link pairKey}s. */
export async function rememberedNonMatches(db: Knex, companyId: number, now: Date): Promise<Set<string>> {
  const rows = rowsOf<{ group_a: string | number; group_b: string | number }>(
    await db.raw(
      `select n.group_a, n.group_b from store_group_non_matches n
       join store_groups ga on ga.id = n.group_a join stores sa on sa.id = ga.anchor_store_id
       join store_groups gb on gb.id = n.group_b join stores sb on sb.id = gb.anchor_store_id
       where ga.company_id = ?::bigint and n.compared_at > ?::timestamptz
         and n.anchor_a_scrape is not distinct from sa.last_scraped_date
         and n.anchor_b_scrape is not distinct from sb.last_scraped_date`,
      [companyId, cutoffOf(now)],
    ),
  );
  return new Set(rows.map((r) => pairKey(Number(r.group_a), Number(r.group_b))));
}

/** Remembers the pairs (one statement), with each anchor's current scrape date as its price version. */
export async function rememberNonMatches(db: Knex, pairs: ReadonlyArray<{ x: AnchorGroup; y: AnchorGroup; overlap: number; equal: number }>, now: Date): Promise<void> {
  if (pairs.length === 0) return;
  const ordered = pairs.map((p) => (p.x.groupId < p.y.groupId ? p : { ...p, x: p.y, y: p.x }));
  await db.raw(
    `insert into store_group_non_matches (group_a, group_b, anchor_a_scrape, anchor_b_scrape, compared_at, overlap, equal)
     select x.a, x.b, sa.last_scraped_date, sb.last_scraped_date, ?::timestamptz, x.overlap, x.equal
     from (select unnest(?::bigint[]) as a, unnest(?::bigint[]) as b, unnest(?::int[]) as overlap, unnest(?::int[]) as equal) x
     join store_groups ga on ga.id = x.a join stores sa on sa.id = ga.anchor_store_id
     join store_groups gb on gb.id = x.b join stores sb on sb.id = gb.anchor_store_id
     on conflict (group_a, group_b) do update set anchor_a_scrape = excluded.anchor_a_scrape, anchor_b_scrape = excluded.anchor_b_scrape,
       compared_at = excluded.compared_at, overlap = excluded.overlap, equal = excluded.equal`,
    [now.toISOString(), bigintArray(ordered.map((p) => p.x.groupId)), bigintArray(ordered.map((p) => p.y.groupId)), bigintArray(ordered.map((p) => p.overlap)), bigintArray(ordered.map((p) => p.equal))],
  );
}
