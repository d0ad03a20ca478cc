/**
 * Merges the staged prices of a batch (one file per store, docs/import.md steps 4–7): the first line per
 * product of each file, change-only history, then the upsert, then — for each store whose file is a full sync — the deletion of the
 * store's prices for products not in its file. Staleness is decided by product, never by comparing
 * the scraper's hashes. Each step is one statement over all the batch's stores. A product of a
 * store's unchanged lines (lines found in its digest, ./store-digest.ts) is in its file though not
 * staged: the store reads that line's values already.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { storedReadRowsSql } from '../prices/shared-rows.js';
import { mergeHistory } from './history-merge.js';
import { keepSharedReads, setAsideSharedFiles, sharingStores, syncSharedStores } from './shared-sync.js';
import { CATALOGUE, LINES } from './staging.js';
import { DIGEST_REST } from './store-digest.js';
import { syncModeFor, type SyncMode } from './sync-share.js';

const PRICES = 'import_prices';

export { FULL_SYNC_SHARE, syncModeFor, type SyncMode } from './sync-share.js';

export interface PriceCounts {
  readonly mode: SyncMode;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly history: number;
}


type PerStore = { rows: Array<{ store_id: number | string; n: number }> };
const byStore = (result: PerStore) => new Map(result.rows.map((r) => [Number(r.store_id), r.n]));

/**
 * The price rows of the batch: per file, the first line for each product (duplicate lines for one
 * product keep the first, docs/import.md step 7). Returns how many rows each store's file keeps,
 * its unchanged products (`onDigest`: per store on its digest, how many) counted.
 */
export async function selectPrices(trx: Knex.Transaction, onDigest: ReadonlyMap<number, number> = new Map()): Promise<Map<number, number>> {
  await trx.raw(`
    create temp table ${PRICES} on commit drop as
    select distinct on (l.file_no, c.product_id) l.store_id, c.product_id, l.price, l.was_price, l.is_on_special, l.unit_price, l.unit, l.is_available, l.scraped_date,
           l.hash_hi, l.hash_lo, l.raw_hi, l.raw_lo, l.cat_no
    from ${LINES} l join ${CATALOGUE} c on c.cat_no = l.cat_no
    order by l.file_no, c.product_id, l.line_no`);
  const kept = byStore(await trx.raw(`select store_id, count(*)::int as n from ${PRICES} group by store_id`));
  for (const [storeId, n] of onDigest) kept.set(storeId, (kept.get(storeId) ?? 0) + n);
  return kept;
}

/**
 * Counts per store of the batch, given how many rows each store's file keeps ({@link selectPrices}).
 * `onDigest`: the stores on their digest (./staging.ts), each with how many products its unchanged
 * lines stand for.
 */
export async function mergePrices(
  trx: Knex.Transaction,
  kept: ReadonlyMap<number, number>,
  upsertOnly: ReadonlySet<number> = new Set(),
  readsNow: ReadonlyMap<number, number> = new Map(),
  onDigest: ReadonlyMap<number, number> = new Map(),
): Promise<Map<number, PriceCounts>> {
  const storeIds = [...kept.keys()];
  // What a store reads now (its own rows and those it shares) is what the 90% rule measures; it is
  // counted for the stores `readsNow` (known from their digests) does not give.
  const counted = storeIds.filter((id) => !readsNow.has(id));
  const existing =
    counted.length === 0
      ? new Map<number, number>()
      : byStore(
          await trx.raw(`with x as (select unnest(?::bigint[]) as store_id) select store_id, count(*)::int as n from (${storedReadRowsSql('x')}) r group by store_id`, [
            bigintArray(counted),
          ]),
        );
  for (const id of storeIds) if (readsNow.has(id)) existing.set(id, readsNow.get(id)!);
  // A file its scraper marked partial (upsertOnly) is never a full sync, whatever its size.
  const modes = new Map(storeIds.map((id) => [id, upsertOnly.has(id) ? ('upsert' as const) : syncModeFor(existing.get(id) ?? 0, kept.get(id)!)]));
  // A store that had no prices has nothing to delete.
  const fullSync = storeIds.filter((id) => modes.get(id) === 'full' && existing.has(id));
  // A full-sync file of a store that shares its anchor's rows writes only what differs (below).
  const sharing = await sharingStores(trx, storeIds);
  const diffSync = fullSync.filter((id) => sharing.has(id));
  // History first: it compares each file with what the store reads before anything changes.
  const written = await mergeHistory(trx, storeIds, [...existing.keys()]);
  await keepSharedReads(trx, storeIds, fullSync, diffSync, onDigest);
  const setAside = await setAsideSharedFiles(trx, diffSync, onDigest);

  // A row whose values did not change is not written: a full sync dates it through the store's
  // full-sync date (prices/shared-rows.ts, OWN_PRICE_ROWS); a partial file, which does not say what
  // it left out, writes its date on each row it lists. \`xmax = 0\` tells an insert from an update.
  // A store that read no row before has none to update: its rows go in with a plain insert,
  // without a conflict check per row. (A store's first day does not come here: ./first-day.ts.)
  const fresh = storeIds.filter((id) => !existing.has(id));
  const columns = 'store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date';
  const firstRows =
    fresh.length === 0
      ? new Map<number, number>()
      : byStore(
          await trx.raw(
            `with added as (insert into prices (${columns}) select ${columns} from ${PRICES} where store_id = any(?::bigint[]) returning store_id)
             select store_id, count(*)::int as n from added group by store_id`,
            [bigintArray(fresh)],
          ),
        );
  const inserted = byStore(
    await trx.raw(
      `with upserted as (
        insert into prices (${columns})
        select ${columns} from ${PRICES} where store_id <> all(?::bigint[])
        on conflict (store_id, product_id) do update set
          price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special,
          unit_price = excluded.unit_price, unit = excluded.unit, is_available = excluded.is_available,
          scraped_date = excluded.scraped_date
        where excluded.store_id = any(?::bigint[])
           or (prices.price, prices.was_price, prices.is_on_special, prices.unit_price, prices.unit, prices.is_available)
              is distinct from (excluded.price, excluded.was_price, excluded.is_on_special, excluded.unit_price, excluded.unit, excluded.is_available)
        returning store_id, xmax = 0 as inserted
      )
      select store_id, (count(*) filter (where inserted))::int as n from upserted group by store_id`,
      [bigintArray(fresh), bigintArray(storeIds.filter((id) => modes.get(id) === 'upsert'))],
    ),
  );
  for (const [storeId, n] of firstRows) inserted.set(storeId, n);

  // A store on its digest reads exactly its digest's products: of those, only the rest of its
  // digest (products no unchanged line stands for) can have left its file.
  const own = fullSync.filter((id) => !sharing.has(id));
  const deleted =
    own.length === 0
      ? new Map<number, number>()
      : byStore(
          await trx.raw(
            `with gone as (
               delete from prices p where p.store_id = any(?::bigint[])
                 and not exists (select 1 from ${PRICES} s where s.store_id = p.store_id and s.product_id = p.product_id)
               returning p.store_id
             ), gone_from_digest as (
               delete from prices p using ${DIGEST_REST} r
               where r.store_id = p.store_id and r.product_id = p.product_id and p.store_id = any(?::bigint[])
                 and not exists (select 1 from ${PRICES} s where s.store_id = p.store_id and s.product_id = p.product_id)
               returning p.store_id
             )
             select store_id, count(*)::int as n from (select store_id from gone union all select store_id from gone_from_digest) g group by store_id`,
            [bigintArray(own.filter((id) => !onDigest.has(id))), bigintArray(own.filter((id) => onDigest.has(id)))],
          ),
        );

  const shared = await syncSharedStores(trx, diffSync, onDigest);

  const counts = new Map<number, PriceCounts>();
  for (const storeId of storeIds) {
    const total = kept.get(storeId)!;
    const diff = shared.get(storeId);
    if (diff) {
      // Counted against what the store read before: new products, changed ones, products gone.
      const known = setAside.get(storeId) ?? 0;
      const inserted = total - known;
      const updated = written.get(storeId)?.updated ?? 0;
      counts.set(storeId, { mode: 'full', inserted, updated, unchanged: total - inserted - updated, deleted: (existing.get(storeId) ?? 0) - known, history: written.get(storeId)?.events ?? 0 });
      continue;
    }
    const added = inserted.get(storeId) ?? 0;
    const updated = written.get(storeId)?.updated ?? 0;
    counts.set(storeId, {
      mode: modes.get(storeId)!,
      inserted: added,
      updated,
      unchanged: total - added - updated,
      deleted: deleted.get(storeId) ?? 0,
      history: written.get(storeId)?.events ?? 0,
    });
  }
  return counts;
}
