/**
 * Starting and ending the sharing of price rows (see shared-rows.ts): set-based, for many stores at
 * once, inside the caller's transaction.
 */
import type { Knex } from 'knex';
import { forgetDigestsOnWrite, keepDigests } from '../import/store-digest.js';
import { bigintArray } from '../db/sql-arrays.js';
import { createAnalyzedTempTable } from '../db/temp-tables.js';
import { closeHistoryPeriods, openHistoryPeriods, startHistorySharing } from './shared-history.js';
import { OWN_PRICE_ROWS } from './shared-rows.js';

type Rows<T> = { rows: T[] };
const countOf = (result: unknown) => Number((result as { rowCount?: number | null }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0);

/**
 * Ends the sharing of `storeIds`: each gets its own copy of every row it read from its source (with
 * its own scrape date), its exclusion marks go, and it reads only its own rows from then on — what
 * it reads does not change. Returns the rows written.
 */
export async function stopSharing(db: Knex, storeIds: readonly number[]): Promise<number> {
  if (storeIds.length === 0) return 0;
  const stores = bigintArray(storeIds);
  // What the stores read does not change: the digests of their last scrape stay right.
  await keepDigests(db);
  const written = countOf(
    await db.raw(
      `insert into prices (store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date)
       select sh.store_id, a.product_id, a.price, a.was_price, a.is_on_special, a.unit_price, a.unit, a.is_available, sh.scraped_date
       from price_sharing sh join prices a on a.store_id = sh.source_store_id
       where sh.store_id = any(?::bigint[])
         and not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = a.product_id)
         and not exists (select 1 from price_exclusions e where e.store_id = sh.store_id and e.product_id = a.product_id)`,
      [stores],
    ),
  );
  await db.raw('delete from price_exclusions where store_id = any(?::bigint[])', [stores]);
  await db.raw('delete from price_sharing where store_id = any(?::bigint[])', [stores]);
  // Its history reads its source's up to its last scrape, its own from then on.
  await closeHistoryPeriods(db, storeIds);
  await forgetDigestsOnWrite(db);
  return written;
}

export interface ShareScope {
  readonly sourceStoreId: number;
  readonly storeIds: readonly number[];
  /** A query of the ids of the stores' rows that may be read from the source instead. */
  readonly candidates: { readonly sql: string; readonly bindings: readonly Knex.RawBinding[] };
  /**
   * True: reads must stay exactly what they were — only rows dated the store's share date go, and
   * the source's products the store does not price are marked excluded. False (a lossy policy):
   * every candidate row goes and the store reads the source's whole range.
   */
  readonly exact: boolean;
}

export interface ShareOutcome {
  readonly storeId: number;
  /** Own rows deleted because the source's row now answers for them. */
  readonly deleted: number;
  /** Exclusion marks written. */
  readonly excluded: number;
  /** Whether the store shares the source after this. */
  readonly sharing: boolean;
}

/**
 * Lets stores read `sourceStoreId`'s rows in place of their own. A store already sharing that
 * source drops the candidate rows its sharing answers exactly; a store sharing another source stops
 * sharing it first; any other store starts sharing only when that saves rows (deleted rows outnumber
 * the exclusion marks it would need), dated with its last scrape. Returns one outcome per store
 * that changed.
 */
export async function shareRows(db: Knex, scope: ShareScope): Promise<ShareOutcome[]> {
  const stores = scope.storeIds.filter((id) => id !== scope.sourceStoreId);
  if (stores.length === 0) return [];
  const elsewhere = (
    (await db.raw(`select store_id from price_sharing where store_id = any(?::bigint[]) and source_store_id <> ?::bigint`, [bigintArray(stores), scope.sourceStoreId])) as Rows<{
      store_id: string | number;
    }>
  ).rows.map((r) => Number(r.store_id));
  await stopSharing(db, elsewhere);

  await db.raw(`drop table if exists share_scope`);
  await createAnalyzedTempTable(
    db,
    'share_scope',
    `select s.id as store_id, coalesce(sh.scraped_date, s.last_scraped_date) as share_date, sh.store_id is not null as sharing
     from stores s left join price_sharing sh on sh.store_id = s.id
     where s.id = any(?::bigint[]) and s.last_scraped_date is not null`,
    [bigintArray(stores)],
  );
  await createAnalyzedTempTable(
    db,
    'share_rows',
    `select p.id, p.store_id from ${OWN_PRICE_ROWS} p join share_scope x on x.store_id = p.store_id
     where p.id in (${scope.candidates.sql}) and (not ?::boolean or p.scraped_date = x.share_date)`,
    [...scope.candidates.bindings, scope.exact],
  );
  await createAnalyzedTempTable(
    db,
    'share_marks',
    `select x.store_id, a.product_id from share_scope x join prices a on a.store_id = ?::bigint
     where ?::boolean and not x.sharing and not exists (select 1 from prices o where o.store_id = x.store_id and o.product_id = a.product_id)`,
    [scope.sourceStoreId, scope.exact],
  );
  const decided = (
    (await db.raw(
      `select x.store_id, x.sharing, coalesce(d.n, 0)::int as deleted, coalesce(m.n, 0)::int as excluded
       from share_scope x
       left join (select store_id, count(*) as n from share_rows group by store_id) d on d.store_id = x.store_id
       left join (select store_id, count(*) as n from share_marks group by store_id) m on m.store_id = x.store_id
       order by x.store_id`,
    )) as Rows<{ store_id: string | number; sharing: boolean; deleted: number; excluded: number }>
  ).rows.map((r) => ({ storeId: Number(r.store_id), alreadySharing: r.sharing, deleted: r.deleted, excluded: r.excluded }));
  const starting = decided.filter((d) => !d.alreadySharing && d.deleted > d.excluded);
  // An exact sharing changes no store's reads: the stores' digests of their last scrape stay right.
  if (scope.exact) await keepDigests(db);
  const going = [...decided.filter((d) => d.alreadySharing), ...starting].map((d) => d.storeId);
  if (starting.length > 0) {
    const ids = bigintArray(starting.map((d) => d.storeId));
    await db.raw(`insert into price_exclusions (store_id, product_id) select store_id, product_id from share_marks where store_id = any(?::bigint[])`, [ids]);
    await db.raw(
      `insert into price_sharing (store_id, source_store_id, scraped_date)
       select store_id, ?::bigint, share_date from share_scope where store_id = any(?::bigint[])`,
      [scope.sourceStoreId, ids],
    );
    // Its history reads the source's too, stored once (shared-history.ts).
    await startHistorySharing(db, starting.map((d) => d.storeId), scope.sourceStoreId);
  }
  if (going.length > 0) await db.raw(`delete from prices where id in (select id from share_rows where store_id = any(?::bigint[]))`, [bigintArray(going)]);
  if (scope.exact) await forgetDigestsOnWrite(db);
  for (const table of ['share_scope', 'share_rows', 'share_marks']) await db.raw(`drop table ${table}`);
  const startingIds = new Set(starting.map((d) => d.storeId));
  return decided
    .filter((d) => d.alreadySharing || startingIds.has(d.storeId))
    .map((d) => ({ storeId: d.storeId, deleted: d.deleted, excluded: startingIds.has(d.storeId) ? d.excluded : 0, sharing: true }));
}

/**
 * Moves sharing stores to another source without changing what they read: each gets its own copy
 * of a row it read where the new source answers differently or not at all, and an exclusion mark
 * for each product of the new source it did not read. Costs rows in proportion to how the two
 * sources differ, not to the stores' ranges. Returns the rows written (copies and marks).
 */
export async function moveSharing(db: Knex, storeIds: readonly number[], newSourceStoreId: number): Promise<number> {
  if (storeIds.length === 0) return 0;
  const stores = bigintArray(storeIds);
  // What the stores read does not change: the digests of their last scrape stay right.
  await keepDigests(db);
  const copies = countOf(
    await db.raw(
      `insert into prices (store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date)
       select sh.store_id, a.product_id, a.price, a.was_price, a.is_on_special, a.unit_price, a.unit, a.is_available, sh.scraped_date
       from price_sharing sh join prices a on a.store_id = sh.source_store_id
       where sh.store_id = any(?::bigint[]) and sh.source_store_id <> ?::bigint
         and not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = a.product_id)
         and not exists (select 1 from price_exclusions e where e.store_id = sh.store_id and e.product_id = a.product_id)
         and not exists (
           select 1 from prices v where v.store_id = ?::bigint and v.product_id = a.product_id
             and v.price = a.price and v.was_price is not distinct from a.was_price and v.is_on_special = a.is_on_special
             and v.unit_price is not distinct from a.unit_price and v.unit is not distinct from a.unit and v.is_available is not distinct from a.is_available)`,
      [stores, newSourceStoreId, newSourceStoreId],
    ),
  );
  // Marks of products the new source does not price mean nothing any more.
  await db.raw(
    `delete from price_exclusions e using price_sharing sh
     where sh.store_id = e.store_id and e.store_id = any(?::bigint[]) and sh.source_store_id <> ?::bigint
       and not exists (select 1 from prices v where v.store_id = ?::bigint and v.product_id = e.product_id)`,
    [stores, newSourceStoreId, newSourceStoreId],
  );
  const marks = countOf(
    await db.raw(
      `insert into price_exclusions (store_id, product_id)
       select sh.store_id, v.product_id from price_sharing sh join prices v on v.store_id = ?::bigint
       where sh.store_id = any(?::bigint[]) and sh.source_store_id <> ?::bigint
         and not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = v.product_id)
         and not exists (select 1 from prices l where l.store_id = sh.source_store_id and l.product_id = v.product_id)
       on conflict do nothing`,
      [newSourceStoreId, stores, newSourceStoreId],
    ),
  );
  await db.raw(`update price_sharing set source_store_id = ?::bigint where store_id = any(?::bigint[])`, [newSourceStoreId, stores]);
  await closeHistoryPeriods(db, storeIds);
  await openHistoryPeriods(db, storeIds, newSourceStoreId);
  await forgetDigestsOnWrite(db);
  return copies + marks;
}
