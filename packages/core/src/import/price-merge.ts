/**
 * Merges the staged prices of one store (SPEC §3 steps 4–5): change-only history first, then the
 * upsert, then — on a full sync — the deletion of the store's prices for products not in the file.
 * Staleness is decided by product, never by comparing hashes.
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

export async function mergePrices(trx: Knex.Transaction, storeId: number, scrapedDate: string): Promise<PriceCounts> {
  const existing = await trx.raw<{ rows: Array<{ n: number }> }>('select count(*)::int as n from prices where store_id = ?', [storeId]);
  const diff = await trx.raw<{ rows: Array<{ total: number; inserted: number; updated: number }> }>(
    `select count(*)::int as total,
            (count(*) filter (where p.id is null))::int as inserted,
            (count(*) filter (where p.id is not null and ${CHANGED}))::int as updated
     from ${STAGE} s left join prices p on p.store_id = ? and p.product_id = s.product_id`,
    [storeId],
  );
  const { total, inserted, updated } = diff.rows[0]!;
  const mode = syncModeFor(existing.rows[0]!.n, total);

  // A history row when the price, was-price or special flag differs from the last one known:
  // the current row, or for a product whose row went in an earlier sync, its last history row.
  // A store with no history yet (its first import) records every price without looking.
  const known = await trx.raw<{ rows: Array<{ any: boolean }> }>('select exists (select 1 from price_history where store_id = ?) as any', [storeId]);
  const history = known.rows[0]!.any
    ? await trx.raw(
        `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
         select ?::bigint, s.product_id, s.price, s.was_price, s.is_on_special, ?::date
         from ${STAGE} s left join prices p on p.store_id = ? and p.product_id = s.product_id
         where (p.id is not null and ${CHANGED})
            or (p.id is null and not exists (
                  select 1 from (
                    select h.price, h.was_price, h.is_on_special from price_history h
                    where h.store_id = ? and h.product_id = s.product_id
                    order by h.scraped_date desc, h.id desc limit 1
                  ) last
                  where last.price = s.price and last.was_price is not distinct from s.was_price and last.is_on_special = s.is_on_special))`,
        [storeId, scrapedDate, storeId, storeId],
      )
    : await trx.raw(
        `insert into price_history (store_id, product_id, price, was_price, is_on_special, scraped_date)
         select ?::bigint, product_id, price, was_price, is_on_special, ?::date from ${STAGE}`,
        [storeId, scrapedDate],
      );

  await trx.raw(
    `insert into prices (store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date)
     select ?::bigint, product_id, price, was_price, is_on_special, unit_price, unit, is_available, ?::date from ${STAGE}
     on conflict (store_id, product_id) do update set
       price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special,
       unit_price = excluded.unit_price, unit = excluded.unit, is_available = excluded.is_available,
       scraped_date = excluded.scraped_date`,
    [storeId, scrapedDate],
  );

  let deleted = 0;
  if (mode === 'full') {
    const gone = await trx.raw(`delete from prices p where p.store_id = ? and not exists (select 1 from ${STAGE} s where s.product_id = p.product_id)`, [storeId]);
    deleted = gone.rowCount ?? 0;
  }
  return { mode, inserted, updated, unchanged: total - inserted - updated, deleted, history: history.rowCount ?? 0 };
}
