/**
 * Price history kept once per group: while a store shares a source's price rows it also reads the
 * source's history (docs/groups.md, "Price history"). A store's history is
 * - its own rows (`price_history`), and
 * - for each period it shared a source (`history_periods`: after `from_date`, up to `to_date`), the
 *   source's rows dated on a day the store itself was scraped (`imported_files`), unless the store
 *   has its own row that day or a skip mark (`price_history_skips`: the source changed, the store
 *   did not).
 * The importer writes a sharing store's change only when its source's row of that day does not
 * already say it, and a skip mark when the source changed and the store did not; so a change the
 * whole group shares is stored once.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { createAnalyzedTempTable } from '../db/temp-tables.js';

/**
 * The rows a store reads from its sources' history, for stores in `stores` (a relation with a
 * `store_id` column) and products satisfying `productFilter` on `h.product_id` (SQL, may be `true`):
 * `(store_id, product_id, scraped_date, price, was_price, is_on_special)`.
 */
export function sharedHistoryRowsSql(stores: string, productFilter: string): string {
  return `select hp.store_id, h.product_id, h.scraped_date, h.price, h.was_price, h.is_on_special
     from ${stores} hs join history_periods hp on hp.store_id = hs.store_id
     join price_history h on h.store_id = hp.source_store_id and h.scraped_date > hp.from_date and (hp.to_date is null or h.scraped_date <= hp.to_date)
     where (${productFilter})
       and exists (select 1 from imported_files f where f.store_id = hp.store_id and f.scraped_date = h.scraped_date)
       and not exists (select 1 from price_history o where o.store_id = hp.store_id and o.product_id = h.product_id and o.scraped_date = h.scraped_date)
       and not exists (select 1 from price_history_skips k where k.store_id = hp.store_id and k.product_id = h.product_id and k.scraped_date = h.scraped_date)`;
}

/**
 * The last history event of one store and product (SQL expressions `store` and `product`, e.g.
 * columns of an outer query), own or read from a source: a `select` of at most one row
 * `(scraped_date, price, was_price, is_on_special)`, for a lateral join.
 */
export function lastHistoryEventSql(store: string, product: string): string {
  return `select e.scraped_date, e.price, e.was_price, e.is_on_special from (
       select h.scraped_date, h.price, h.was_price, h.is_on_special from price_history h where h.store_id = ${store} and h.product_id = ${product}
       union all
       select h.scraped_date, h.price, h.was_price, h.is_on_special
       from history_periods hp join price_history h on h.store_id = hp.source_store_id and h.product_id = ${product}
         and h.scraped_date > hp.from_date and (hp.to_date is null or h.scraped_date <= hp.to_date)
       where hp.store_id = ${store}
         and exists (select 1 from imported_files f where f.store_id = hp.store_id and f.scraped_date = h.scraped_date)
         and not exists (select 1 from price_history o where o.store_id = hp.store_id and o.product_id = h.product_id and o.scraped_date = h.scraped_date)
         and not exists (select 1 from price_history_skips k where k.store_id = hp.store_id and k.product_id = h.product_id and k.scraped_date = h.scraped_date)
     ) e order by e.scraped_date desc limit 1`;
}

/** Starts history periods: from now on `storeIds` read `sourceStoreId`'s history on the days they are scraped after `fromDate` (SQL date expression over `stores s`). */
export async function openHistoryPeriods(db: Knex, storeIds: readonly number[], sourceStoreId: number, fromDate = 's.last_scraped_date'): Promise<void> {
  if (storeIds.length === 0) return;
  await db.raw(
    `insert into history_periods (store_id, source_store_id, from_date)
     select s.id, ?::bigint, ${fromDate} from stores s where s.id = any(?::bigint[]) and ${fromDate} is not null
     on conflict (store_id, from_date) do update set source_store_id = excluded.source_store_id, to_date = null`,
    [sourceStoreId, bigintArray(storeIds)],
  );
}

/** Ends the open history periods of `storeIds` at each store's last scrape (a period that covers no day goes). */
export async function closeHistoryPeriods(db: Knex, storeIds: readonly number[]): Promise<void> {
  if (storeIds.length === 0) return;
  const stores = bigintArray(storeIds);
  await db.raw(
    `update history_periods hp set to_date = s.last_scraped_date from stores s
     where s.id = hp.store_id and hp.store_id = any(?::bigint[]) and hp.to_date is null`,
    [stores],
  );
  await db.raw(`delete from history_periods where store_id = any(?::bigint[]) and to_date <= from_date`, [stores]);
}

/**
 * Starts sharing the history of `sourceStoreId` for stores that start sharing its price rows, back
 * to the end of the store's last period (or its first scrape) and no further than the source's own
 * history is whole (after its last period): on each day the store was scraped, its own event that
 * the source's event of that day says goes (unless other stores read it through a period of theirs),
 * and a source event it did not show gets a skip mark.
 * What the store's history reads does not change; a history the group shares is then stored once.
 */
export async function startHistorySharing(db: Knex, storeIds: readonly number[], sourceStoreId: number): Promise<void> {
  if (storeIds.length === 0) return;
  await db.raw(`drop table if exists history_scope`);
  await createAnalyzedTempTable(
    db,
    'history_scope',
    `select s.id as store_id, ?::bigint as source_store_id, s.last_scraped_date as until,
            least(s.last_scraped_date, greatest(
              coalesce((select max(p.to_date) from history_periods p where p.store_id = s.id), '-infinity'::date),
              coalesce((select max(coalesce(p.to_date, 'infinity'::date)) from history_periods p where p.store_id = ?::bigint), '-infinity'::date))) as from_date
     from stores s where s.id = any(?::bigint[]) and s.last_scraped_date is not null
       and not exists (select 1 from history_periods p where p.store_id = s.id and p.to_date is null)`,
    [sourceStoreId, sourceStoreId, bigintArray(storeIds)],
  );
  await db.raw(
    `insert into price_history_skips (store_id, product_id, scraped_date)
     select x.store_id, a.product_id, a.scraped_date
     from history_scope x join price_history a on a.store_id = x.source_store_id and a.scraped_date > x.from_date and a.scraped_date <= x.until
     where exists (select 1 from imported_files f where f.store_id = x.store_id and f.scraped_date = a.scraped_date)
       and not exists (select 1 from price_history o where o.store_id = x.store_id and o.product_id = a.product_id and o.scraped_date = a.scraped_date)
     on conflict do nothing`,
  );
  await db.raw(
    `delete from price_history o using history_scope x, price_history a
     where o.store_id = x.store_id and o.scraped_date > x.from_date and o.scraped_date <= x.until
       and a.store_id = x.source_store_id and a.product_id = o.product_id and a.scraped_date = o.scraped_date
       and a.price = o.price and a.was_price is not distinct from o.was_price and a.is_on_special = o.is_on_special
       and exists (select 1 from imported_files f where f.store_id = x.store_id and f.scraped_date = o.scraped_date)
       -- an event other stores read through a period of theirs stays
       and not exists (select 1 from history_periods r where r.source_store_id = o.store_id and o.scraped_date > r.from_date and (r.to_date is null or o.scraped_date <= r.to_date))`,
  );
  await db.raw(
    `insert into history_periods (store_id, source_store_id, from_date)
     select store_id, source_store_id, from_date from history_scope
     on conflict (store_id, from_date) do update set source_store_id = excluded.source_store_id, to_date = null`,
  );
  await db.raw(`drop table history_scope`);
}
