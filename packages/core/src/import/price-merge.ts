/**
 * Merges the staged prices of a batch (one file per store, SPEC §3 steps 4–5): change-only history
 * first, then the upsert, then — for each store whose file is a full sync — the deletion of the
 * store's prices for products not in its file. Staleness is decided by product, never by comparing
 * hashes. Each step is one statement over all the batch's stores.
 */
import type { Knex } from 'knex';
import { STAGE } from './staging.js';

/** A file with fewer than this share of the store's current price rows is a partial scrape. */
export const FULL_SYNC_SHARE = 0.9;

export type SyncMode = 'full' | 'upsert';

export interface PriceCounts {
  readonly mode: SyncMode;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly history: number;
}

const CHANGED = `(p.price <> s.price or p.was_price is distinct from s.was_price or p.is_on_special <> s.is_on_special)`;

export function syncModeFor(existingRows: number, fileRows: number): SyncMode {
  return existingRows > 0 && fileRows < FULL_SYNC_SHARE * existingRows ? 'upsert' : 'full';
}

/** A bigint[] parameter that both drivers pass the same way. */
const ids = (values: readonly number[]) => `{${values.join(',')}}`;

type PerStore = { rows: Array<{ store_id: number | string; n: number }> };
const byStore = (result: PerStore) => new Map(result.rows.map((r) => [Number(r.store_id), r.n]));

/** Counts per store id of the batch. */
export async function mergePrices(trx: Knex.Transaction, storeIds: readonly number[]): Promise<Map<number, PriceCounts>> {
  const stores = ids(storeIds);
  const existing = byStore(await trx.raw(`select store_id, count(*)::int as n from prices where store_id = any(?::bigint[]) group by store_id`, [stores]));
  const diff = await trx.raw<{ rows: Array<{ store_id: number | string; total: number; inserted: number; updated: number }> }>(`
    select s.store_id, count(*)::int as total,
           (count(*) filter (where p.id is null))::int as inserted,
           (count(*) filter (where p.id is not null and ${CHANGED}))::int as updated
    from ${STAGE} s left join prices p on p.store_id = s.store_id and p.product_id = s.product_id
    group by s.store_id`);
  const files = new Map(diff.rows.map((r) => [Number(r.store_id), { ...r, mode: syncModeFor(existing.get(Number(r.store_id)) ?? 0, r.total) }]));
  const fullSync = [...files.values()].filter((f) => f.mode === 'full').map((f) => Number(f.store_id));

  // A history row when the price, was-price or special flag differs from the last one known: the
  // current row, or for a product whose row went in an earlier sync, its last history row. A store
  // with no history yet (its first import) records every price without looking.
  const withHistory = await trx.raw<{ rows: Array<{ id: number | string }> }>(
    `select x.id from unnest(?::bigint[]) as x(id) where exists (select 1 from price_history h where h.store_id = x.id)`,
    [stores],
  );
  const history = byStore(
    await trx.raw(
      `with written as (
         insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
         select s.store_id, s.product_id, s.price, s.was_price, s.is_on_special, s.scraped_date
         from ${STAGE} s left join prices p on p.store_id = s.store_id and p.product_id = s.product_id
         where (p.id is not null and ${CHANGED})
            or (p.id is null and (s.store_id <> all(?::bigint[]) or not exists (
                  select 1 from (
                    select h.price, h.was_price, h.is_on_special from price_history h
                    where h.store_id = s.store_id and h.product_id = s.product_id
                    order by h.scraped_date desc, h.id desc limit 1
                  ) last
                  where last.price = s.price and last.was_price is not distinct from s.was_price and last.is_on_special = s.is_on_special)))
         returning store_id
       )
       select store_id, count(*)::int as n from written group by store_id`,
      [ids(withHistory.rows.map((r) => Number(r.id)))],
    ),
  );

  await trx.raw(`
    insert into prices (store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date)
    select store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date from ${STAGE}
    on conflict (store_id, product_id) do update set
      price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special,
      unit_price = excluded.unit_price, unit = excluded.unit, is_available = excluded.is_available,
      scraped_date = excluded.scraped_date`);

  const deleted =
    fullSync.length === 0
      ? new Map<number, number>()
      : byStore(
          await trx.raw(
            `with gone as (
               delete from prices p where p.store_id = any(?::bigint[])
                 and not exists (select 1 from ${STAGE} s where s.store_id = p.store_id and s.product_id = p.product_id)
               returning p.store_id
             )
             select store_id, count(*)::int as n from gone group by store_id`,
            [ids(fullSync)],
          ),
        );

  const counts = new Map<number, PriceCounts>();
  for (const [storeId, f] of files) {
    counts.set(storeId, {
      mode: f.mode,
      inserted: f.inserted,
      updated: f.updated,
      unchanged: f.total - f.inserted - f.updated,
      deleted: deleted.get(storeId) ?? 0,
      history: history.get(storeId) ?? 0,
    });
  }
  return counts;
}
