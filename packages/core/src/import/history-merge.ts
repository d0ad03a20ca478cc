/**
 * The change-only price history of a batch (docs/import.md step 5, docs/groups.md "Price history"):
 * a change is an event when the price, was-price or special flag differs from the store's last
 * event for that product. Stores that read a source's history (prices/shared-history.ts) store an
 * event only where the source's row of the same day does not already say it, and a skip mark
 * where the source changed and they did not; so a change a group shares is stored once, at its
 * anchor. Runs before the batch's current rows change: "before" is what each store reads now.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { lastHistoryEventSql } from '../prices/shared-history.js';
import { DIGEST_STORES } from './store-digest.js';

const PRICES = 'import_prices';
const EVENTS = 'import_member_events';

const SAME = (x: string, y: string) => `(${x}.price = ${y}.price and ${x}.was_price is not distinct from ${y}.was_price and ${x}.is_on_special = ${y}.is_on_special)`;

/** A second file of the same day (the complete scrape after a partial one) corrects that day's event. */
const SAME_DAY_CORRECTS = `on conflict (store_id, product_id, scraped_date) do update set price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special`;

export interface HistoryCounts {
  /** Change events of the store's file (stored as its own rows or read from its source's). */
  readonly events: number;
  /** Of those, events of products the store had a current row for (changed prices). */
  readonly updated: number;
}

type Rows<T> = { rows: T[] };

/**
 * Writes the history of the batch's files; `existing` are the stores that had prices before.
 * Returns per store its change events.
 */
export async function mergeHistory(trx: Knex.Transaction, storeIds: readonly number[], existing: readonly number[]): Promise<Map<number, HistoryCounts>> {
  const stores = bigintArray(storeIds);
  // Stores of the batch that read a source's history now: their events go through the source.
  const sharers = (
    (await trx.raw(`select store_id from history_periods where to_date is null and store_id = any(?::bigint[])`, [stores])) as Rows<{ store_id: string | number }>
  ).rows.map((r) => Number(r.store_id));
  // A store with no history yet (its first import) records every price without looking.
  const withHistory = (
    (await trx.raw(
      `select x.id from unnest(?::bigint[]) as x(id)
       where exists (select 1 from price_history h where h.store_id = x.id) or exists (select 1 from history_periods p where p.store_id = x.id)`,
      [stores],
    )) as Rows<{ id: string | number }>
  ).rows.map((r) => Number(r.id));

  // Every store not reading a source's history: an event where its current row differs, or (no
  // current row) its last event does. A store's first day does not come here (./first-day.ts).
  const own = await ownEvents(
    trx,
    `select s.* from ${PRICES} s left join prices p on p.store_id = s.store_id and p.product_id = s.product_id
       where s.store_id <> all(?::bigint[])
         and ((p.id is not null and not ${SAME('p', 's')})
           or (p.id is null and (s.store_id <> all(?::bigint[]) or not exists (
                 select 1 from (${lastHistoryEventSql('s.store_id', 's.product_id')}) last where ${SAME('last', 's')}))))`,
    [bigintArray(sharers), bigintArray(withHistory)],
    SAME_DAY_CORRECTS,
    stores,
    existing,
  );
  const counts = new Map<number, HistoryCounts>(own.map((r) => [Number(r.store_id), { events: r.events, updated: r.updated }]));
  if (sharers.length === 0) return counts;

  // Sharing stores: the event set of each file against what the store reads now (its own row, its
  // source's row unless excluded, else its last event).
  await trx.raw(
    `create temp table ${EVENTS} on commit drop as
     select s.store_id, s.product_id, s.price, s.was_price, s.is_on_special, s.scraped_date, hp.source_store_id, (o.id is not null or a.id is not null) as priced
     from ${PRICES} s
     join history_periods hp on hp.store_id = s.store_id and hp.to_date is null
     left join price_sharing sh on sh.store_id = s.store_id
     left join prices o on o.store_id = s.store_id and o.product_id = s.product_id
     left join prices a on o.id is null and a.store_id = sh.source_store_id and a.product_id = s.product_id
       and not exists (select 1 from price_exclusions e where e.store_id = s.store_id and e.product_id = s.product_id)
     -- offset 0 keeps the gate inside: the planner would otherwise lift it above the lateral and
     -- look up the last event of every row (46,000 look-ups a batch) to throw almost all away.
     left join lateral (select * from (${lastHistoryEventSql('s.store_id', 's.product_id')}) l where o.id is null and a.id is null offset 0) last on true
     cross join lateral (
       select case when o.id is not null then o.price when a.id is not null then a.price else last.price end as price,
              case when o.id is not null then o.was_price when a.id is not null then a.was_price else last.was_price end as was_price,
              case when o.id is not null then o.is_on_special when a.id is not null then a.is_on_special else last.is_on_special end as is_on_special
     ) prev
     where s.store_id = any(?::bigint[]) and (prev.price is null or not ${SAME('prev', 's')})`,
    [bigintArray(sharers)],
  );
  // Stored as the store's own row only where the source's row of that day does not say it.
  await trx.raw(
    `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
     select e.store_id, e.product_id, e.price, e.was_price, e.is_on_special, e.scraped_date from ${EVENTS} e
     where not exists (select 1 from price_history a where a.store_id = e.source_store_id and a.product_id = e.product_id and a.scraped_date = e.scraped_date and ${SAME('a', 'e')})
     ${SAME_DAY_CORRECTS}`,
  );
  // The source's changes of that day that the store did not show (a store whose lines were all
  // unchanged, ./store-digest.ts, is among the batch's stores all the same).
  await trx.raw(
    `insert into price_history_skips (store_id, product_id, scraped_date)
     select x.store_id, a.product_id, a.scraped_date
     from (select distinct s.store_id, s.scraped_date, hp.source_store_id
           from (select store_id, scraped_date from ${PRICES} union select store_id, scraped_date from ${DIGEST_STORES}) s
           join history_periods hp on hp.store_id = s.store_id and hp.to_date is null
           where s.store_id = any(?::bigint[])) x
     join price_history a on a.store_id = x.source_store_id and a.scraped_date = x.scraped_date
     where not exists (select 1 from ${EVENTS} e where e.store_id = x.store_id and e.product_id = a.product_id)
     on conflict do nothing`,
    [bigintArray(sharers)],
  );
  const events = (await trx.raw(
    `select store_id, count(*)::int as events, (count(*) filter (where priced))::int as updated from ${EVENTS} group by store_id`,
  )) as Rows<{ store_id: string | number; events: number; updated: number }>;
  for (const r of events.rows) counts.set(Number(r.store_id), { events: r.events, updated: r.updated });
  await trx.raw(`drop table ${EVENTS}`);
  return counts;
}

/**
 * Inserts the events `events` selects (rows of the batch's prices) as the stores' own history, with
 * the skip marks of the stores reading their history; returns per store its events and how many of
 * them are of products it already priced.
 */
async function ownEvents(
  trx: Knex.Transaction,
  events: string,
  bindings: readonly string[],
  onConflict: string,
  stores: string,
  existing: readonly number[],
): Promise<Array<{ store_id: string | number; events: number; updated: number }>> {
  const result = (await trx.raw(
    `with written as (
       insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
       select e.store_id, e.product_id, e.price, e.was_price, e.is_on_special, e.scraped_date from (${events}) e
       ${onConflict}
       returning store_id, product_id, scraped_date
     ),
     -- Stores reading these stores' history that were already scraped on that day (their import
     -- came first) did not show this change unless they stored it themselves: a skip mark.
     skipped as (
       insert into price_history_skips (store_id, product_id, scraped_date)
       select hp.store_id, w.product_id, w.scraped_date
       from written w join history_periods hp on hp.source_store_id = w.store_id and w.scraped_date > hp.from_date and (hp.to_date is null or w.scraped_date <= hp.to_date)
       where hp.store_id <> all(?::bigint[])
         and exists (select 1 from imported_files f where f.store_id = hp.store_id and f.scraped_date = w.scraped_date)
         and not exists (select 1 from price_history o where o.store_id = hp.store_id and o.product_id = w.product_id and o.scraped_date = w.scraped_date)
       on conflict do nothing
       returning 1
     )
     -- An event of a product the store already prices is a changed price.
     select w.store_id, count(*)::int as events,
            (count(*) filter (where w.store_id = any(?::bigint[]) and exists (select 1 from prices p where p.store_id = w.store_id and p.product_id = w.product_id)))::int as updated,
            (select count(*) from skipped)::int as skips
     from written w group by w.store_id`,
    [...bindings, stores, bigintArray(existing)],
  )) as Rows<{ store_id: string | number; events: number; updated: number }>;
  return result.rows;
}
