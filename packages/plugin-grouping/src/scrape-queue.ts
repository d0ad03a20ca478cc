/**
 * The scrape queue (`stores next`, docs/groups.md): anchors flagged for re-scrape first (oldest flag
 * first), then stores never scraped, then the longest since scraped; ties by store id. A store
 * handed out is not handed out again for {@link HAND_OUT_HOURS} hours, so two workers asking one
 * after the other (or at once: rows are locked with SKIP LOCKED on a server) get different stores.
 */
import type { Knex } from 'knex';
import { bigintArray, textArray, type ScrapeClaim, type ScrapeQueue } from '@trolley/core';
import { rowsOf } from './sql.js';

export const HAND_OUT_HOURS = 4;

export interface QueuedStore {
  readonly id: number;
  readonly company: string;
  /** The chain's own code of the store. */
  readonly code: string;
  readonly name: string | null;
  readonly state: string | null;
  readonly lastScraped: string | null;
  readonly reason: 'flagged' | 'never-scraped' | 'oldest';
  readonly flaggedAt: string | null;
}

export interface NextStores {
  readonly handedOutAt: string;
  readonly until: string;
  readonly stores: QueuedStore[];
}

export async function nextStores(knex: Knex, options: { company?: string | undefined; limit: number; now: Date; worker?: string | undefined }): Promise<NextStores> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + HAND_OUT_HOURS * 3_600_000).toISOString();
  const since = new Date(options.now.getTime() - HAND_OUT_HOURS * 3_600_000).toISOString();
  const rows = await knex.transaction(async (trx) => {
    const picked = rowsOf<{
      id: string | number; company: string; store_id: string; name: string | null; state: string | null; last_scraped: string | null; flagged_at: Date | string | null; rank: number;
    }>(
      await trx.raw(
        `select s.id, c.name as company, s.store_id, s.name, s.state, to_char(s.last_scraped_date, 'YYYY-MM-DD') as last_scraped,
                f.flagged_at,
                case when f.flagged_at is not null then 0 when s.last_scraped_date is null then 1 else 2 end as rank
         from stores s
         join companies c on c.id = s.company_id
         left join store_scrape_queue q on q.store_id = s.id
         cross join lateral (
           select case when q.rescrape_flagged_at is not null and exists (select 1 from store_groups g where g.anchor_store_id = s.id)
                       then q.rescrape_flagged_at end as flagged_at
         ) f
         where (?::text is null or c.name = lower(?::text))
           and (q.handed_out_at is null or q.handed_out_at <= ?::timestamptz)
         order by rank, f.flagged_at, s.last_scraped_date nulls first, s.id
         limit ?
         for update of s skip locked`,
        [options.company ?? null, options.company ?? null, since, options.limit],
      ),
    );
    if (picked.length > 0) {
      await trx.raw(
        `insert into store_scrape_queue (store_id, handed_out_at, handed_out_to)
         select unnest(?::bigint[]), ?::timestamptz, ?::text
         on conflict (store_id) do update set handed_out_at = excluded.handed_out_at, handed_out_to = excluded.handed_out_to`,
        [bigintArray(picked.map((p) => Number(p.id))), now, options.worker ?? null],
      );
    }
    return picked;
  });
  return {
    handedOutAt: now,
    until,
    stores: rows.map((r) => ({
      id: Number(r.id),
      company: r.company,
      code: r.store_id,
      name: r.name,
      state: r.state,
      lastScraped: r.last_scraped,
      reason: r.rank === 0 ? 'flagged' : r.rank === 1 ? 'never-scraped' : 'oldest',
      flaggedAt: r.flagged_at === null ? null : new Date(r.flagged_at).toISOString(),
    })),
  };
}

/**
 * Claims for `trolley scrape run` (the `ScrapeQueue` extension): workers on several machines share
 * the queue through the database with no coordinator. A claim is one UPDATE of the store's queue
 * row chosen by a sub-select that locks it (FOR UPDATE SKIP LOCKED) and re-checks it is free, so
 * two workers never claim one store; a claim that is neither completed nor released expires after
 * `claimMs` (a worker killed mid-store loses its store after that, not forever). Order as `stores
 * next`: flagged anchors, never-scraped stores, then the longest since scraped.
 */
export class StoreClaims implements ScrapeQueue {
  readonly id = 'groups';

  constructor(private readonly knex: () => Promise<Knex>) {}

  async claim(options: { worker: string; company?: string | undefined; companies?: readonly string[] | undefined; now: Date; claimMs: number }): Promise<ScrapeClaim | undefined> {
    const knex = await this.knex();
    const since = new Date(options.now.getTime() - options.claimMs).toISOString();
    // One company, or any of several (those with an installed scraper), or any company at all.
    const names = options.company !== undefined ? [options.company] : options.companies;
    if (names !== undefined && names.length === 0) return undefined;
    const company = names === undefined ? null : textArray(names.map((n) => n.toLowerCase()));
    // Every store of the company has a queue row to lock (concurrent workers insert the same rows harmlessly).
    await knex.raw(
      `insert into store_scrape_queue (store_id)
       select s.id from stores s join companies c on c.id = s.company_id
       where (?::text[] is null or c.name = any(?::text[])) and not exists (select 1 from store_scrape_queue q where q.store_id = s.id)
       order by s.id
       on conflict (store_id) do nothing`,
      [company, company],
    );
    const claimed = rowsOf<{ store_id: string | number; rank: number }>(
      await knex.raw(
        `update store_scrape_queue q set handed_out_at = ?::timestamptz, handed_out_to = ?::text
         from (
           select q2.store_id,
                  case when q2.rescrape_flagged_at is not null and exists (select 1 from store_groups g where g.anchor_store_id = s.id) then 0
                       when s.last_scraped_date is null then 1 else 2 end as rank
           from store_scrape_queue q2
           join stores s on s.id = q2.store_id
           join companies c on c.id = s.company_id
           where (?::text[] is null or c.name = any(?::text[]))
             and (q2.handed_out_at is null or q2.handed_out_at <= ?::timestamptz)
           order by rank, q2.rescrape_flagged_at, s.last_scraped_date nulls first, s.id
           limit 1
           for update of q2 skip locked
         ) pick
         where q.store_id = pick.store_id and (q.handed_out_at is null or q.handed_out_at <= ?::timestamptz)
         returning q.store_id, pick.rank`,
        [options.now.toISOString(), options.worker, company, company, since, since],
      ),
    );
    const row = claimed[0];
    if (!row) return undefined;
    const [store] = rowsOf<{ company: string; store_id: string; name: string | null; state: string | null }>(
      await knex.raw(`select c.name as company, s.store_id, s.name, s.state from stores s join companies c on c.id = s.company_id where s.id = ?`, [Number(row.store_id)]),
    );
    return {
      id: Number(row.store_id),
      company: store!.company,
      code: store!.store_id,
      name: store!.name,
      state: store!.state,
      reason: row.rank === 0 ? 'flagged' : row.rank === 1 ? 'never-scraped' : 'oldest',
      until: new Date(options.now.getTime() + options.claimMs).toISOString(),
    };
  }

  async complete(claim: ScrapeClaim, worker: string, now: Date): Promise<void> {
    const knex = await this.knex();
    await knex.raw(`update store_scrape_queue set handed_out_at = ?::timestamptz where store_id = ? and handed_out_to = ?`, [now.toISOString(), claim.id, worker]);
  }

  async release(claim: ScrapeClaim, worker: string): Promise<void> {
    const knex = await this.knex();
    await knex.raw(`update store_scrape_queue set handed_out_at = null, handed_out_to = null where store_id = ? and handed_out_to = ?`, [claim.id, worker]);
  }
}
