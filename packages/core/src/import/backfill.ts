/**
 * Backfill (docs/import.md, "Backfill"): a store's file of a day older than its last import, never
 * imported before, goes into the store's price history only. Current prices, scraped dates, groups
 * and the store's last import stay as they are.
 *
 * The day changes at most three things in the store's change-only history, per product it lists:
 * - an event on the day itself, where its values differ from the store's last event before it;
 * - the store's next scrape after it: the old values come back there (an event), assumed listed
 *   when the product is known listed later (a later event, or a current row dated after the day);
 *   trolley keeps no record of which products each past file listed;
 * - the product's next event, when it now repeats the day's values (it goes).
 * Each change is written as what the store should read on that date (`want`): an own history row,
 * a skip mark over its source's row, or nothing when the source's row already says it. Stores that
 * read this store's history on those dates (history_periods) keep reading what they read before:
 * an own row with their old values, or a skip mark.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { sharedHistoryRowsSql } from '../prices/shared-history.js';
import { storedReadRowsSql } from '../prices/shared-rows.js';

/** The staged rows of the batch's backfilled files (moved out of the import's price rows). */
export const BACKFILL_PRICES = 'import_backfill_prices';
const PRICES = 'import_prices';

const FILE = 'backfill_file';
const HISTORY = 'backfill_history';
const PLAN = 'backfill_plan';
const TARGETS = 'backfill_targets';
const READERS = 'backfill_readers';

const SAME = (x: string, y: string) => `(${x}.price = ${y}.price and ${x}.was_price is not distinct from ${y}.was_price and ${x}.is_on_special = ${y}.is_on_special)`;

/** A `select 1` that is true when the history of `store` reads its period source's rows on `date` (SQL expressions). */
const readsSourceOn = (store: string, date: string) =>
  `exists (select 1 from imported_files f where f.store_id = ${store} and f.scraped_date = ${date})`;

/**
 * Moves the staged price rows of `storeIds` (the batch's backfilled files) out of the import's
 * price rows, so that the merge of current prices never sees them.
 */
export async function setAsideBackfills(trx: Knex.Transaction, storeIds: readonly number[]): Promise<void> {
  await trx.raw(`create temp table ${BACKFILL_PRICES} on commit drop as select * from ${PRICES} where store_id = any(?::bigint[])`, [bigintArray(storeIds)]);
  await trx.raw(`delete from ${PRICES} where store_id = any(?::bigint[])`, [bigintArray(storeIds)]);
}

/** How many price rows a backfilled file of `storeId` keeps (its first line per product). */
export async function backfilledRows(trx: Knex.Transaction, storeId: number): Promise<number> {
  const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>(`select count(*)::int as n from ${BACKFILL_PRICES} where store_id = ?`, [storeId]);
  return rows[0]!.n;
}

/**
 * Writes one backfilled file of `storeId` dated `date` into history (its rows in
 * {@link BACKFILL_PRICES}); the file must already be in the ledger (`imported_files`). Returns the
 * change events the day adds to the store's history.
 */
export async function backfillHistory(trx: Knex.Transaction, storeId: number, date: string): Promise<number> {
  const store = `${Math.trunc(storeId)}::bigint`;
  const day = `'${date}'::date`;
  // The stores whose history this one reads, or that read this one's, wait for the backfill (a
  // concurrent batch of theirs would compare with rows it changes); a deadlock is retried.
  await trx.raw(
    `select id from stores where id in (select source_store_id from history_periods where store_id = ${store} union select store_id from history_periods where source_store_id = ${store})
     order by id for update`,
  );
  await trx.raw(`create temp table ${FILE} as select product_id, price, was_price, is_on_special from ${BACKFILL_PRICES} where store_id = ${store}`);
  // The store's history of the file's products, as it reads it (its own rows and its sources'), without this day.
  await trx.raw(
    `create temp table ${HISTORY} as
     select h.product_id, h.scraped_date, h.price, h.was_price, h.is_on_special from price_history h
     where h.store_id = ${store} and h.scraped_date <> ${day} and h.product_id in (select product_id from ${FILE})
     union all
     select r.product_id, r.scraped_date, r.price, r.was_price, r.is_on_special
     from (${sharedHistoryRowsSql(`(select ${store} as store_id)`, `h.product_id in (select product_id from ${FILE})`)}) r
     where r.scraped_date <> ${day}`,
  );
  await trx.raw(`create index on ${HISTORY} (product_id, scraped_date)`);
  await trx.raw(`analyze ${HISTORY}`);
  // The file's changes: products whose values differ from the store's last event before the day.
  await trx.raw(
    `create temp table ${PLAN} as
     select f.product_id, f.price, f.was_price, f.is_on_special,
            prev.scraped_date is not null as has_prev, prev.price as prev_price, prev.was_price as prev_was_price, prev.is_on_special as prev_is_on_special,
            nxt.scraped_date as next_date, nxt.price as next_price, nxt.was_price as next_was_price, nxt.is_on_special as next_is_on_special,
            (nxt.scraped_date is not null or exists (
               select 1 from (${storedReadRowsSql(`(select ${store} as store_id)`)}) r where r.product_id = f.product_id and r.scraped_date > ${day})) as listed_later
     from ${FILE} f
     left join lateral (select * from ${HISTORY} h where h.product_id = f.product_id and h.scraped_date < ${day} order by h.scraped_date desc limit 1) prev on true
     left join lateral (select * from ${HISTORY} h where h.product_id = f.product_id and h.scraped_date > ${day} order by h.scraped_date limit 1) nxt on true
     where prev.scraped_date is null or not ${SAME('prev', 'f')}`,
  );
  const next = `(select min(f.scraped_date) from imported_files f where f.store_id = ${store} and f.scraped_date > ${day})`;
  // What the store must read on each date the day touches: values (want), or nothing.
  await trx.raw(
    `create temp table ${TARGETS} as
     select ${store} as store_id, product_id, ${day} as scraped_date, true as want, price, was_price, is_on_special from ${PLAN}
     union all
     select ${store}, product_id, ${next}, true, prev_price, prev_was_price, prev_is_on_special from ${PLAN}
     where has_prev and listed_later and ${next} is not null and (next_date is null or ${next} < next_date)
     union all
     select ${store}, product_id, next_date, false, null, null, null from ${PLAN} p
     where next_date is not null and (next_date = ${next} or not has_prev)
       and p.next_price = p.price and p.next_was_price is not distinct from p.was_price and p.next_is_on_special = p.is_on_special
     union all
     -- The store now reads its source's rows of the day: those of products it did not change go.
     select ${store}, a.product_id, ${day}, false, null, null, null
     from history_periods hp join price_history a on a.store_id = hp.source_store_id and a.scraped_date = ${day}
     where hp.store_id = ${store} and ${day} > hp.from_date and (hp.to_date is null or ${day} <= hp.to_date)
       and not exists (select 1 from ${PLAN} p where p.product_id = a.product_id)`,
  );
  // Stores reading this store's rows on those dates, and what they read now.
  await trx.raw(
    `create temp table ${READERS} as
     select hp.store_id, t.product_id, t.scraped_date, o.price, o.was_price, o.is_on_special, o.store_id is not null as had
     from ${TARGETS} t
     join history_periods hp on hp.source_store_id = t.store_id and t.scraped_date > hp.from_date and (hp.to_date is null or t.scraped_date <= hp.to_date)
     left join price_history o on o.store_id = t.store_id and o.product_id = t.product_id and o.scraped_date = t.scraped_date
     where ${readsSourceOn('hp.store_id', 't.scraped_date')}
       and not exists (select 1 from price_history m where m.store_id = hp.store_id and m.product_id = t.product_id and m.scraped_date = t.scraped_date)
       and not exists (select 1 from price_history_skips k where k.store_id = hp.store_id and k.product_id = t.product_id and k.scraped_date = t.scraped_date)`,
  );
  // Each target against what the store reads there: its own row, else its source's unless skipped.
  const current = `${TARGETS} t
     left join price_history o on o.store_id = t.store_id and o.product_id = t.product_id and o.scraped_date = t.scraped_date
     left join price_history_skips k on k.store_id = t.store_id and k.product_id = t.product_id and k.scraped_date = t.scraped_date
     left join lateral (
       select a.price, a.was_price, a.is_on_special from history_periods hp
       join price_history a on a.store_id = hp.source_store_id and a.product_id = t.product_id and a.scraped_date = t.scraped_date
       where hp.store_id = t.store_id and t.scraped_date > hp.from_date and (hp.to_date is null or t.scraped_date <= hp.to_date)
         and ${readsSourceOn('t.store_id', 't.scraped_date')}
       limit 1
     ) a on true`;
  // Values the source already says on that date: the skip over it goes.
  await trx.raw(
    `delete from price_history_skips s using ${current}
     where t.want and o.store_id is null and a.price is not null and ${SAME('a', 't')}
       and s.store_id = t.store_id and s.product_id = t.product_id and s.scraped_date = t.scraped_date`,
  );
  // Other values: the store's own row.
  await trx.raw(
    `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
     select t.store_id, t.product_id, t.price, t.was_price, t.is_on_special, t.scraped_date from ${current}
     where t.want and not (o.store_id is not null and ${SAME('o', 't')}) and not (o.store_id is null and a.price is not null and ${SAME('a', 't')})
     on conflict (store_id, product_id, scraped_date) do update set price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special`,
  );
  // Nothing on that date: a skip over the source's row, and no own row.
  await trx.raw(
    `insert into price_history_skips (store_id, product_id, scraped_date)
     select t.store_id, t.product_id, t.scraped_date from ${current}
     where not t.want and a.price is not null
     on conflict do nothing`,
  );
  await trx.raw(
    `delete from price_history h using ${TARGETS} t
     where not t.want and h.store_id = t.store_id and h.product_id = t.product_id and h.scraped_date = t.scraped_date`,
  );
  // Readers keep what they read: their old values as their own row, or a skip over the new one.
  await trx.raw(
    `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
     select r.store_id, r.product_id, r.price, r.was_price, r.is_on_special, r.scraped_date from ${READERS} r
     left join price_history n on n.store_id = ${store} and n.product_id = r.product_id and n.scraped_date = r.scraped_date
     where r.had and (n.store_id is null or not ${SAME('n', 'r')})`,
  );
  await trx.raw(
    `insert into price_history_skips (store_id, product_id, scraped_date)
     select r.store_id, r.product_id, r.scraped_date from ${READERS} r
     where not r.had and exists (select 1 from price_history n where n.store_id = ${store} and n.product_id = r.product_id and n.scraped_date = r.scraped_date)
     on conflict do nothing`,
  );
  const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>(`select count(*)::int as n from ${PLAN}`);
  for (const table of [READERS, TARGETS, PLAN, HISTORY, FILE]) await trx.raw(`drop table ${table}`);
  return rows[0]!.n;
}
