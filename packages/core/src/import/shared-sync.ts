/**
 * Imports into stores that share their anchor's rows (see prices/shared-rows.ts), so that what
 * every store reads stays exactly its own last scrape, and a member whose prices equal its anchor's
 * costs almost no writes:
 * - {@link keepSharedReads}: before the batch rewrites a source's rows, each store that reads a row
 *   about to change or go gets its own copy of the old row (with its own date); a product new at
 *   the source is marked excluded for it. A source's unchanged products (lines found in its digest,
 *   ./store-digest.ts, not staged) neither change nor go.
 * - a full-sync file of a sharing store is compared with its anchor's rows after the batch wrote
 *   them, and only differences are written ({@link syncSharedStores}): an own row where the values
 *   differ or the anchor has no row, an exclusion mark for each anchor product the file does not
 *   list, nothing where the values are equal; the store's share date becomes the file's date.
 */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';
import { DIGEST_REST, DIGEST_STORES } from './store-digest.js';

const PRICES = 'import_prices';
const SHARED = 'import_shared_prices';
const COLUMNS = 'price, was_price, is_on_special, unit_price, unit, is_available';

const SAME_VALUES = (x: string, y: string) =>
  `${x}.price = ${y}.price and ${x}.was_price is not distinct from ${y}.was_price and ${x}.is_on_special = ${y}.is_on_special
   and ${x}.unit_price is not distinct from ${y}.unit_price and ${x}.unit is not distinct from ${y}.unit and ${x}.is_available is not distinct from ${y}.is_available`;

type Rows<T> = { rows: T[] };

/** The stores of the batch that share another store's rows. */
export async function sharingStores(trx: Knex.Transaction, storeIds: readonly number[]): Promise<Set<number>> {
  const result = (await trx.raw(`select store_id from price_sharing where store_id = any(?::bigint[])`, [bigintArray(storeIds)])) as Rows<{ store_id: string | number }>;
  return new Set(result.rows.map((r) => Number(r.store_id)));
}

/**
 * Copies and marks for stores that read the batch's stores' rows (`fullSync`: the batch's stores
 * whose rows for products not in their file will go); `rewritten` (sharing stores whose
 * own full-sync file is in the batch) are left out: their file says everything they read. A
 * store's exclusion of a product its file lists goes. Of a store `onDigest` (./staging.ts), only
 * the rest of its digest can go: it reads exactly its digest's products.
 */
export async function keepSharedReads(
  trx: Knex.Transaction,
  storeIds: readonly number[],
  fullSync: readonly number[],
  rewritten: readonly number[],
  onDigest: ReadonlyMap<number, number> = new Map(),
): Promise<void> {
  const batch = bigintArray(storeIds);
  const skip = bigintArray(rewritten);
  const row = `a.store_id, a.product_id, a.price, a.was_price, a.is_on_special, a.unit_price, a.unit, a.is_available`;
  const notStaged = `not exists (select 1 from ${PRICES} s where s.store_id = a.store_id and s.product_id = a.product_id)`;
  await trx.raw(`delete from price_exclusions e using ${PRICES} s where e.store_id = s.store_id and e.product_id = s.product_id`);
  // The sources' rows that change or go are found first, once per source, and only those are
  // joined to the stores reading them: a source's whole range times its members would be millions
  // of look-ups a day for a few hundred copies. Rows change where the file's line differs; they go
  // where a full sync does not list them.
  await trx.raw(
    `with sources as materialized (select distinct source_store_id as store_id from price_sharing where source_store_id = any(?::bigint[])),
     leaving as materialized (
       select ${row} from ${PRICES} s join prices a on a.store_id = s.store_id and a.product_id = s.product_id
       where s.store_id in (select store_id from sources) and not (${SAME_VALUES('s', 'a')})
       union all
       select ${row} from prices a
       where a.store_id = any(?::bigint[]) and a.store_id in (select store_id from sources) and ${notStaged}
       union all
       select ${row} from ${DIGEST_REST} r join prices a on a.store_id = r.store_id and a.product_id = r.product_id
       where r.store_id = any(?::bigint[]) and r.store_id in (select store_id from sources) and ${notStaged}
     )
     insert into prices (store_id, product_id, ${COLUMNS}, scraped_date)
     select sh.store_id, l.product_id, l.price, l.was_price, l.is_on_special, l.unit_price, l.unit, l.is_available, sh.scraped_date
     from leaving l join price_sharing sh on sh.source_store_id = l.store_id
     where sh.store_id <> all(?::bigint[])
       and not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = l.product_id)
       and not exists (select 1 from price_exclusions e where e.store_id = sh.store_id and e.product_id = l.product_id)`,
    [batch, bigintArray(fullSync.filter((id) => !onDigest.has(id))), bigintArray(fullSync.filter((id) => onDigest.has(id))), skip],
  );
  await trx.raw(
    `with new_at_source as materialized (
       select s.store_id, s.product_id from ${PRICES} s
       where s.store_id = any(?::bigint[]) and s.store_id in (select source_store_id from price_sharing)
         and not exists (select 1 from prices a where a.store_id = s.store_id and a.product_id = s.product_id)
     )
     insert into price_exclusions (store_id, product_id)
     select sh.store_id, n.product_id from new_at_source n join price_sharing sh on sh.source_store_id = n.store_id
     where sh.store_id <> all(?::bigint[])
       and not exists (select 1 from prices o where o.store_id = sh.store_id and o.product_id = n.product_id)
     on conflict do nothing`,
    [batch, skip],
  );
}

/**
 * Takes the rows of `storeIds`' files out of the batch's main merge (they are written by
 * {@link syncSharedStores} after it) and returns, per store, how many of its file's products it
 * read before this import (`onDigest`: per store on its digest, how many products its unchanged
 * lines stand for, all read before).
 */
export async function setAsideSharedFiles(trx: Knex.Transaction, storeIds: readonly number[], onDigest: ReadonlyMap<number, number> = new Map()): Promise<Map<number, number>> {
  const stores = bigintArray(storeIds);
  await trx.raw(`create temp table ${SHARED} on commit drop as select * from ${PRICES} where store_id = any(?::bigint[])`, [stores]);
  if (storeIds.length === 0) return new Map();
  await trx.raw(`delete from ${PRICES} where store_id = any(?::bigint[])`, [stores]);
  // Outer joins rather than `exists … or exists …`, which PostgreSQL runs once per row.
  const known = (await trx.raw(
    `select f.store_id, count(*)::int as n from ${SHARED} f
     left join prices o on o.store_id = f.store_id and o.product_id = f.product_id
     left join price_sharing sh on sh.store_id = f.store_id
     left join prices a on a.store_id = sh.source_store_id and a.product_id = f.product_id
     left join price_exclusions e on e.store_id = f.store_id and e.product_id = f.product_id
     where o.id is not null or (a.id is not null and e.store_id is null)
     group by f.store_id`,
  )) as Rows<{ store_id: string | number; n: number }>;
  const counts = new Map(known.rows.map((r) => [Number(r.store_id), r.n]));
  // Every unchanged product (./store-digest.ts) was read before.
  for (const [storeId, n] of onDigest) if (storeIds.includes(storeId)) counts.set(storeId, (counts.get(storeId) ?? 0) + n);
  return counts;
}

/**
 * Writes the differences of the set-aside files from their sources' rows; returns the rows written
 * per store. For a store `onDigest` (./staging.ts), what its file lists is its digest's products but
 * {@link DIGEST_REST}'s, and those of its staged lines: every product it read before (its own rows,
 * its source's rows it had not excluded) is in its digest, and its source wrote nothing in this
 * batch (a store whose source's file is in the batch is not on its digest), so only the rest of the
 * digest can have left the file. That spares joining the thousands of unchanged products per store.
 */
export async function syncSharedStores(trx: Knex.Transaction, storeIds: readonly number[], onDigest: ReadonlyMap<number, number> = new Map()): Promise<Map<number, number>> {
  const written = new Map<number, number>(storeIds.map((id) => [id, 0]));
  if (storeIds.length === 0) return written;
  const stores = bigintArray(storeIds);
  const digestStores = bigintArray(storeIds.filter((id) => onDigest.has(id)));
  const fullStores = bigintArray(storeIds.filter((id) => !onDigest.has(id)));
  const add = (result: unknown) => {
    for (const r of (result as Rows<{ store_id: string | number }>).rows) written.set(Number(r.store_id), (written.get(Number(r.store_id)) ?? 0) + 1);
  };
  // Own rows the file no longer needs: products it does not list, or lists at the source's values.
  // Two statements, not one with `not exists … or exists …`: PostgreSQL cannot turn an OR of
  // subqueries into joins, and ran the set-aside file's scan once per own row (6 s a batch).
  add(
    await trx.raw(
      `delete from prices o
       where o.store_id = any(?::bigint[])
         and not exists (select 1 from ${SHARED} f where f.store_id = o.store_id and f.product_id = o.product_id)
         and (o.store_id = any(?::bigint[]) or exists (select 1 from ${DIGEST_REST} r where r.store_id = o.store_id and r.product_id = o.product_id))
       returning o.store_id`,
      [stores, fullStores],
    ),
  );
  // An unchanged product's line says what the store reads (./store-digest.ts): an own row of it
  // that the source's row now equals is no longer needed. Driven by the store's own rows (few): an
  // own row left by the statement above that is not staged is of an unchanged product.
  add(
    await trx.raw(
      `delete from prices o using price_sharing sh, prices a
       where o.store_id = any(?::bigint[])
         and not exists (select 1 from ${SHARED} f where f.store_id = o.store_id and f.product_id = o.product_id)
         and sh.store_id = o.store_id and a.store_id = sh.source_store_id and a.product_id = o.product_id and ${SAME_VALUES('o', 'a')}
       returning o.store_id`,
      [digestStores],
    ),
  );
  add(
    await trx.raw(
      `delete from prices o using ${SHARED} f, price_sharing sh, prices a
       where f.store_id = o.store_id and f.product_id = o.product_id
         and sh.store_id = o.store_id and a.store_id = sh.source_store_id and a.product_id = f.product_id and ${SAME_VALUES('f', 'a')}
       returning o.store_id`,
    ),
  );
  // Own rows where the file differs from the source or the source has no row; a row whose values did
  // not change is left alone (it reads as of the store's full-sync date, OWN_PRICE_ROWS).
  add(
    await trx.raw(
      `insert into prices (store_id, product_id, ${COLUMNS}, scraped_date)
       select f.store_id, f.product_id, f.price, f.was_price, f.is_on_special, f.unit_price, f.unit, f.is_available, f.scraped_date
       from ${SHARED} f join price_sharing sh on sh.store_id = f.store_id
       left join prices a on a.store_id = sh.source_store_id and a.product_id = f.product_id
       where a.id is null or not (${SAME_VALUES('f', 'a')})
       on conflict (store_id, product_id) do update set
         price = excluded.price, was_price = excluded.was_price, is_on_special = excluded.is_on_special, unit_price = excluded.unit_price,
         unit = excluded.unit, is_available = excluded.is_available, scraped_date = excluded.scraped_date
       where (prices.price, prices.was_price, prices.is_on_special, prices.unit_price, prices.unit, prices.is_available)
             is distinct from (excluded.price, excluded.was_price, excluded.is_on_special, excluded.unit_price, excluded.unit, excluded.is_available)
       returning store_id`,
    ),
  );
  // Exclusion marks: exactly the source's products the file does not list.
  add(
    await trx.raw(
      `delete from price_exclusions e
       using price_exclusions x join price_sharing sh on sh.store_id = x.store_id
         left join ${SHARED} f on f.store_id = x.store_id and f.product_id = x.product_id
         left join prices a on a.store_id = sh.source_store_id and a.product_id = x.product_id
       where e.store_id = x.store_id and e.product_id = x.product_id and x.store_id = any(?::bigint[])
         and (f.store_id is not null or a.id is null)
       returning e.store_id`,
      [stores],
    ),
  );
  // On the digest, a source product it did not read before is excluded already (the source wrote
  // nothing new): only the rest of its digest needs a look.
  add(
    await trx.raw(
      `insert into price_exclusions (store_id, product_id)
       select sh.store_id, a.product_id from price_sharing sh join prices a on a.store_id = sh.source_store_id
       where sh.store_id = any(?::bigint[])
         and not exists (select 1 from ${SHARED} f where f.store_id = sh.store_id and f.product_id = a.product_id)
       union all
       select sh.store_id, a.product_id from ${DIGEST_REST} r join price_sharing sh on sh.store_id = r.store_id
         join prices a on a.store_id = sh.source_store_id and a.product_id = r.product_id
       where r.store_id = any(?::bigint[])
         and not exists (select 1 from ${SHARED} f where f.store_id = r.store_id and f.product_id = r.product_id)
       on conflict do nothing
       returning store_id`,
      [fullStores, digestStores],
    ),
  );
  await trx.raw(
    `update price_sharing sh set scraped_date = f.scraped_date
     from (select store_id, scraped_date from ${SHARED} union select store_id, scraped_date from ${DIGEST_STORES}) f
     where f.store_id = sh.store_id and sh.store_id = any(?::bigint[])`,
    [stores],
  );
  return written;
}
