/**
 * The per-store digest of the last full scrape (docs/import.md, "The digest of a store's last
 * scrape"): for each product of the file, the 64-bit hash of its first line's normalised record
 * (catalogue and price fields) and the product it resolved to, 16 bytes an entry, one `bytea` row
 * per store. With it an import stages only the lines that are new or changed; a line whose hash is
 * in the digest says what the store already reads for that product.
 *
 * A digest is only a cache of what a file said, so it is kept exact by being thrown away:
 * - it is used only while the store's last import and last full scrape are the digest's date;
 * - any statement outside an import that writes price rows, exclusion marks or sharing (product
 *   merges, price deletions, a lossy retention, `db` maintenance) deletes every digest (triggers);
 *   an import rewrites or deletes the digests of its own stores itself, and keeps what the stores
 *   reading its stores' rows read (./shared-sync.ts), so their digests stay right; so do the exact
 *   sharing, moving and unsharing of rows (prices/sharing.ts), which the triggers let pass;
 * - an unchanged line whose record no longer resolves to the digest's product, or whose product
 *   another (changed) line of the file also names, sends the store back to the full path.
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';
import { bigintArray } from '../db/sql-arrays.js';
import type { ImportRow } from './scrape-record.js';

export const UNCHANGED = 'import_unchanged';
const PRICES = 'import_prices';
/** The rows of sharing stores' files, set aside by ./shared-sync.ts. */
const SHARED = 'import_shared_prices';
const ENTRY_BYTES = 16;
/** What a store reads: its price rows, its exclusion marks and its sharing (keyed by `store_id`). */
const WATCHED = ['prices', 'price_exclusions', 'price_sharing'];
/** Set for a transaction that keeps the digests right itself, so the triggers stand aside. */
const IMPORT_KEEPS_DIGESTS = 'trolley.import_keeps_digests';

/** The two 32-bit halves of a line's hash (signed, as PostgreSQL `int` columns hold them). */
export type LineHash = readonly [hi: number, lo: number];

/** A store's digest: hash key ({@link hashKey}) → product. */
export type Digest = ReadonlyMap<string, number>;

export const hashKey = (hash: LineHash) => `${hash[0]}:${hash[1]}`;

/**
 * The hash of a line's normalised record: every field the import stores from it, none it does not
 * (the line number). Two independent 32-bit multiply-xorshift lanes over the fields' characters.
 */
export function lineHash(row: ImportRow): LineHash {
  const text = [
    row.sku,
    row.name,
    row.brand ?? '\u0001',
    row.brandKey,
    row.barcode ?? '\u0001',
    row.nnbs,
    row.sizes.join(' '),
    row.categoryPath.join('\u001f'),
    row.price,
    row.wasPrice ?? '\u0001',
    row.isOnSpecial ? 1 : 0,
    row.unitPrice ?? '\u0001',
    row.unit ?? '\u0001',
    row.isAvailable === null ? '\u0001' : row.isAvailable ? 1 : 0,
  ].join('\u0000');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 | 0, h2 | 0];
}

type Rows<T> = { rows: T[] };

/**
 * The digests of `stores` that are valid for a file of `scrapedDate`: dated the store's last import
 * and last full scrape, older than the file, and of a store that reads only its own rows.
 */
export async function validDigests(trx: Knex.Transaction, stores: ReadonlyArray<{ storeId: number; scrapedDate: string }>, batch: readonly number[]): Promise<Map<number, Digest>> {
  const digests = new Map<number, Digest>();
  if (stores.length === 0) return digests;
  // A store whose source's file is in the same batch goes the full path: its unchanged products
  // would need the source's rows as they were before the batch rewrote them.
  const found = (await trx.raw(
    `select d.store_id, d.entries
     from store_digests d join stores s on s.id = d.store_id
     join jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date) on x.store_id = d.store_id
     where s.last_scraped_date = d.scraped_date and s.full_scraped_date = d.scraped_date and d.scraped_date < x.scraped_date
       and not exists (select 1 from price_sharing sh where sh.store_id = d.store_id and sh.source_store_id = any(?::bigint[]))`,
    [JSON.stringify(stores.map((s) => ({ store_id: s.storeId, scraped_date: s.scrapedDate }))), bigintArray(batch)],
  )) as Rows<{ store_id: string | number; entries: Buffer | Uint8Array }>;
  for (const row of found.rows) {
    const bytes = Buffer.from(row.entries.buffer, row.entries.byteOffset, row.entries.byteLength);
    const digest = new Map<string, number>();
    for (let at = 0; at + ENTRY_BYTES <= bytes.length; at += ENTRY_BYTES) {
      digest.set(hashKey([bytes.readInt32BE(at), bytes.readInt32BE(at + 4)]), Number(bytes.readBigInt64BE(at + 8)));
    }
    digests.set(Number(row.store_id), digest);
  }
  return digests;
}

/**
 * Makes the transaction the keeper of the digests (the triggers stand aside) until
 * {@link forgetDigestsOnWrite}: an import, which rewrites or deletes its stores' digests itself, or
 * a write that keeps what every store reads (an exact sharing of rows, prices/sharing.ts).
 */
export async function keepDigests(trx: Knex | Knex.Transaction): Promise<void> {
  await trx.raw(`select set_config('${IMPORT_KEEPS_DIGESTS}', 'on', true)`);
}

/** Hands the digests back to the triggers for the rest of the transaction. */
export async function forgetDigestsOnWrite(trx: Knex | Knex.Transaction): Promise<void> {
  await trx.raw(`select set_config('${IMPORT_KEEPS_DIGESTS}', '', true)`);
}

/**
 * The stores of the batch whose unchanged lines cannot stand for their products: a line's record
 * now resolves to another product than the digest says, or a staged line of the same file names
 * the same product (so which line comes first is no longer known without the full path).
 */
export async function storesOffDigest(trx: Knex.Transaction): Promise<number[]> {
  const result = (await trx.raw(
    `select distinct u.store_id from ${UNCHANGED} u join import_catalogue c on c.cat_no = u.cat_no where c.product_id <> u.product_id
     union
     select distinct u.store_id from ${UNCHANGED} u
       join import_lines l on l.file_no = u.file_no join import_catalogue c on c.cat_no = l.cat_no and c.product_id = u.product_id`,
  )) as Rows<{ store_id: string | number }>;
  return result.rows.map((r) => Number(r.store_id));
}

/** How many products each store's unchanged lines stand for. */
export async function unchangedCounts(trx: Knex.Transaction): Promise<Map<number, number>> {
  const result = (await trx.raw(`select store_id, count(*)::int as n from ${UNCHANGED} group by store_id`)) as Rows<{ store_id: string | number; n: number }>;
  return new Map(result.rows.map((r) => [Number(r.store_id), r.n]));
}

/**
 * After the batch's writes: a new digest for each store of `written` (its full syncs, dated
 * `scrapedDate`), from its staged first lines and its unchanged ones; the digests of the batch's
 * other stores are deleted.
 */
export async function rewriteDigests(
  trx: Knex.Transaction,
  batch: readonly number[],
  written: ReadonlyArray<{ storeId: number; scrapedDate: string }>,
): Promise<void> {
  const keep = bigintArray(written.map((w) => w.storeId));
  await trx.raw(`delete from store_digests d where d.store_id = any(?::bigint[]) and d.store_id <> all(?::bigint[])`, [bigintArray(batch), keep]);
  if (written.length === 0) return;
  await trx.raw(
    `insert into store_digests (store_id, scraped_date, entries)
     select x.store_id, x.scraped_date, coalesce(e.entries, ''::bytea)
     from jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date)
     left join (
       select store_id, string_agg(int4send(hash_hi) || int4send(hash_lo) || int8send(product_id), ''::bytea) as entries
       from (select store_id, product_id, hash_hi, hash_lo from ${PRICES} where store_id = any(?::bigint[])
             union all select store_id, product_id, hash_hi, hash_lo from ${SHARED} where store_id = any(?::bigint[])
             union all select store_id, product_id, hash_hi, hash_lo from ${UNCHANGED} where store_id = any(?::bigint[])) f
       group by store_id
     ) e on e.store_id = x.store_id
     on conflict (store_id) do update set scraped_date = excluded.scraped_date, entries = excluded.entries`,
    [JSON.stringify(written.map((w) => ({ store_id: w.storeId, scraped_date: w.scrapedDate }))), keep, keep, keep],
  );
}

/**
 * The digests table, and the triggers that delete every digest when a statement writes price rows,
 * exclusion marks or sharing outside a transaction that keeps them ({@link keepDigests}).
 */
export const storeDigestsMigration: Migration = {
  name: '0011_store_digests',
  async up(knex: Knex) {
    await knex.raw(`create table store_digests (
      store_id bigint primary key references stores (id) on delete cascade,
      scraped_date date not null,
      entries bytea not null)`);
    // Statement triggers without transition tables: keeping the written rows for the trigger would
    // cost every bulk write (an import's first day, a retention's deletes) a copy of its rows.
    await knex.raw(`create function forget_store_digests() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('${IMPORT_KEEPS_DIGESTS}', true), '') = 'on' then return null; end if;
        delete from store_digests;
        return null;
      end $$`);
    for (const table of WATCHED) {
      await knex.raw(`create trigger ${table}_forgets_digests after insert or update or delete or truncate on ${table} for each statement execute function forget_store_digests()`);
    }
  },
  async down(knex: Knex) {
    for (const table of WATCHED) await knex.raw(`drop trigger ${table}_forgets_digests on ${table}`);
    await knex.raw(`drop function forget_store_digests()`);
    await knex.raw(`drop table store_digests`);
  },
};
