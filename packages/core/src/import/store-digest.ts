/**
 * The per-store digest of the last full scrape (docs/import.md, "The digest of a store's last
 * scrape"): for each product of the file, the 64-bit hash of its first line's normalised record
 * (catalogue and price fields), the product it resolved to, the 64-bit hash of the line's raw bytes
 * (its scraped date left out) and the category its record linked, 32 bytes an entry, one row per
 * store (a base written whole, and a patch and dropped products written since: {@link rewriteDigests}).
 * With it an import stages only the lines that are new or changed: a line whose bytes are in the
 * digest is not even parsed (./scrape-file.ts), and a parsed line whose record hash is in it says
 * what the store already reads for that product.
 *
 * A digest is only a cache of what a file said, so it is kept exact by being thrown away:
 * - it is used only while the store's last import and last full scrape are the digest's date, and
 *   only if it was written by this version of the digest format and of trolley;
 * - any statement outside an import that writes price rows, exclusion marks or sharing (product
 *   merges, price deletions, a lossy retention, `db` maintenance) deletes every digest (triggers);
 *   an import rewrites or deletes the digests of its own stores itself, and keeps what the stores
 *   reading its stores' rows read (./shared-sync.ts), so their digests stay right; so do the exact
 *   sharing, moving and unsharing of rows (prices/sharing.ts), which the triggers let pass;
 * - an unchanged line whose record no longer resolves to the digest's product, or whose product
 *   another (changed) line of the file also names, sends the store back to the full path.
 * A line's raw hash is kept only when its meaning cannot move while its bytes stay: its record
 * carried no barcode or its product's own barcode (so it resolves by the same SKU or barcode
 * tomorrow) and its barcode was not refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';
import { bigintArray } from '../db/sql-arrays.js';
import type { ProductRecord, StoreRef } from './scrape-record.js';
import { refKey } from './store-resolution.js';

/**
 * With the digest, the stores whose unchanged lines stand for their products (./staging.ts), and
 * their files' dates: `store_id`, `scraped_date`. The unchanged products themselves are not staged.
 */
export const DIGEST_STORES = 'import_digest_stores';
/**
 * With the digest, per store on it, the products of its digest that no unchanged line stands for:
 * the ones its file changed or left out (a few, against the thousands its unchanged lines stand for).
 */
export const DIGEST_REST = 'import_digest_rest';
const PRICES = 'import_prices';
/** The rows of sharing stores' files, set aside by ./shared-sync.ts. */
const SHARED = 'import_shared_prices';
const CATALOGUE = 'import_catalogue';
const ENTRY_BYTES = 32;
/** What a store reads: its price rows, its exclusion marks and its sharing (keyed by `store_id`). */
const WATCHED = ['prices', 'price_exclusions', 'price_sharing'];
/** The writes that can change which product a line resolves to. */
const RESOLVING = [
  ['product_skus', 'update or delete or truncate'],
  ['products', 'update of barcode, nnbs or delete or truncate'],
] as const;
/** Set for a transaction that keeps the digests right itself, so the triggers stand aside. */
const IMPORT_KEEPS_DIGESTS = 'trolley.import_keeps_digests';
/**
 * The digest format; raise it whenever what a line means changes (its checks, its normalisation,
 * the hashes) or how a digest is stored: a digest of another format or another trolley version is never used.
 */
const DIGEST_FORMAT = 4;

/** Whether an import keeps and uses digests when nothing says otherwise (`TROLLEY_IMPORT_DIGEST`, `ImportOptions.digest`). */
export const DIGEST_BY_DEFAULT = true;

/** Whether an import with `options` uses the digests. */
export const usesDigest = (options: { readonly digest?: boolean | undefined }): boolean => options.digest ?? DIGEST_BY_DEFAULT;

/** The two 32-bit halves of a line's hash (signed, as PostgreSQL `int` columns hold them). */
export type LineHash = readonly [hi: number, lo: number];

/** What a line repeated byte for byte stands for: its product, record hash and category link. */
export interface RawEntry {
  readonly rawHi: number;
  readonly rawLo: number;
  readonly productId: number;
  readonly hashHi: number;
  readonly hashLo: number;
  /** The category its record linked (null: its record has no category path). */
  readonly categoryId: number | null;
}

/** A store's digest as read before its file is parsed (./scrape-file.ts). */
export interface StoreDigest {
  readonly storeId: number;
  /** Changes with every rewrite: the import uses the digest only if it is still this one. */
  readonly serial: string;
  /** The products of the store's last full scrape. */
  readonly size: number;
  /** Seeds of the raw hash: the digest's version, the store and the options a line's meaning depends on. */
  readonly seed: LineHash;
  /** What a line whose raw hash is (`hi`, `lo`) stands for, if the digest holds that hash. */
  byBytes(hi: number, lo: number): RawEntry | undefined;
  /** The product of the line whose record hash is `hash`, if the digest holds that hash. */
  byRecord(hash: LineHash): number | undefined;
  /** The products of the store's last full scrape, each once. */
  products(): Generator<number>;
  /**
   * Whether the next digest may be written as a patch of this one ({@link rewriteDigests}): its
   * patch and dropped products are still small against its base.
   */
  readonly patchable: boolean;
  /** Whether the entry of `productId` is in the digest's patch, not its base (a patch carries it on). */
  patched(productId: number): boolean;
  /** Whether the digest holds exactly this entry (0:0 for no raw hash, 0 for no category). */
  holds(entry: DigestEntry): boolean;
}

/** A digest entry's fields (see the head of this file). */
export interface DigestEntry {
  readonly hash: LineHash;
  readonly productId: number;
  readonly raw: LineHash | null;
  readonly categoryId: number | null;
}

/** The version a digest is written with and must carry to be used. */
export const DIGEST_VERSION = `${DIGEST_FORMAT}/${trolleyVersion()}`;

function trolleyVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; ) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@trolley/core') return manifest.version ?? 'unknown';
    } catch {
      // no manifest here: look further up
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/**
 * The hash of a line's normalised record: every field the import stores from it, none it does not
 * (the line number). Two independent 32-bit multiply-xorshift lanes over the fields' characters,
 * the catalogue fields first and the price fields after them, all joined by NUL.
 */
export function lineHash(row: ProductRecord): LineHash {
  return priceHash(recordLanes(row), row);
}

/**
 * The two lanes after a row's catalogue fields (and the NUL after them): the stores of a company
 * list the same records at their own prices, so the staging computes this once per record and
 * {@link priceHash} finishes each line from it (the same hash as {@link lineHash}).
 */
export function recordLanes(row: ProductRecord): LineHash {
  const text = [row.sku, row.name, row.brand ?? '\u0001', row.brandKey, row.barcode ?? '\u0001', row.nnbs, row.sizes.join(' '), row.categoryPath.join('\u001f'), ''].join('\u0000');
  return lanes(0xdeadbeef, 0x41c6ce57, text);
}

/** A line's {@link lineHash} from its record's {@link recordLanes}: its price fields hashed on. */
export function priceHash(record: LineHash, row: ProductRecord): LineHash {
  const text = [
    row.price,
    row.wasPrice ?? '\u0001',
    row.isOnSpecial ? 1 : 0,
    row.unitPrice ?? '\u0001',
    row.unit ?? '\u0001',
    row.isAvailable === null ? '\u0001' : row.isAvailable ? 1 : 0,
  ].join('\u0000');
  const [h1, h2] = lanes(record[0], record[1], text);
  return finish(h1, h2);
}

function lanes(a: number, b: number, text: string): LineHash {
  let h1 = a;
  let h2 = b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return [h1, h2];
}

function finish(a: number, b: number): LineHash {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 | 0, h2 | 0];
}

/**
 * The seeds of a file's raw line hashes: the digest version, the store the file names and the
 * store id given on the command line (a line without one in its metadata names that store).
 */
export function rawSeed(store: StoreRef, givenStoreId: string | undefined): LineHash {
  let h1 = 0x9e3779b9;
  let h2 = 0x7f4a7c15;
  const text = `${DIGEST_VERSION}\u0000${store.company}\u0000${store.storeId}\u0000${givenStoreId ?? '\u0001'}`;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 2654435761);
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 1597334677);
  }
  return [h1 | 0, h2 | 0];
}

const KEY = Buffer.from('"scraped_date"');
const QUOTE = 0x22;
/** The value of a skipped date in the hash: 0xff is never a byte of UTF-8 text. */
const DATE_MARK = 0xff;

/**
 * The raw hashes of the lines of one file's bytes, in line order: every byte of a line, but for the
 * value of a `"scraped_date"` key that is exactly the file's date (`date`: its 10 bytes), which
 * changes every day. A line with a `"scraped_date"` of another value (or written otherwise) has no
 * raw hash: its date needs the checks, so it is parsed.
 *
 * Two 32-bit lanes (murmur3's mixing, different constants and seeds) over the line 4 bytes at a
 * time; the `"scraped_date"` keys are found by one forward search over the file.
 */
export class RawLineHasher {
  private readonly view: DataView;
  /** Where the next key is, at or after the last search (-1: none left; -2: not searched yet). */
  private nextKey = -2;
  private h1 = 0;
  private h2 = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly date: Uint8Array,
    private readonly seed: LineHash,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The hash of the line `[start, end)` into `out` (hi, lo); false (and `out` untouched) when it has none. */
  hash(start: number, end: number, out: Int32Array): boolean {
    const bytes = this.bytes;
    this.h1 = this.seed[0];
    this.h2 = this.seed[1];
    let at = start;
    for (;;) {
      if (this.nextKey !== -1 && this.nextKey < at) this.nextKey = bytes.indexOf(KEY, at);
      const key = this.nextKey;
      if (key === -1 || key >= end) break;
      // `"scraped_date"`, blanks, `:`, blanks, then the quoted date.
      let j = key + KEY.length;
      while (j < end && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
      if (bytes[j] !== 0x3a) return false;
      j++;
      while (j < end && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
      if (j + 11 >= end || bytes[j] !== QUOTE || bytes[j + 11] !== QUOTE) return false;
      for (let k = 0; k < 10; k++) if (bytes[j + 1 + k] !== this.date[k]) return false;
      this.mix(at, j);
      this.word(DATE_MARK);
      at = j + 12;
    }
    this.mix(at, end);
    const length = end - start;
    const [hi, lo] = finish(this.h1 ^ length, this.h2 ^ length);
    out[0] = hi;
    out[1] = lo;
    return true;
  }

  private mix(from: number, to: number): void {
    let i = from;
    for (; i + 4 <= to; i += 4) this.word(this.view.getInt32(i, true));
    for (; i < to; i++) this.word(this.bytes[i]!);
  }

  private word(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    const h1 = this.h1 ^ k;
    this.h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    let m = Math.imul(w, 0x85ebca77);
    m = Math.imul((m << 13) | (m >>> 19), 0xc2b2ae3d);
    const h2 = this.h2 ^ m;
    this.h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 9) + 0x165667b1) | 0;
  }
}

/** The raw hash of one line (see {@link RawLineHasher}); false when it has none. */
export function rawLineHash(bytes: Buffer, start: number, end: number, date: Uint8Array, seed: LineHash, out: Int32Array): boolean {
  return new RawLineHasher(bytes, date, seed).hash(start, end, out);
}

type Rows<T> = { rows: T[] };

/** The conditions of a usable digest `d` of store `s` for a file of date `x.scraped_date`. */
const USABLE = `d.version = ? and s.last_scraped_date = d.scraped_date and s.full_scraped_date = d.scraped_date and d.scraped_date < x.scraped_date`;

/**
 * The digest of the store a file names, if one is usable for a file of `scrapedDate`, read before the
 * file's lines are (./scrape-file.ts). The import checks again, in its transaction, that it is still
 * the store's digest ({@link validDigests}).
 */
export async function readDigest(knex: Knex, store: StoreRef, scrapedDate: string, givenStoreId: string | undefined): Promise<StoreDigest | undefined> {
  const found = (await knex.raw(
    `select d.store_id, d.serial, d.entries, d.patch, d.dropped
     from store_digests d join stores s on s.id = d.store_id join companies c on c.id = s.company_id
     cross join (select ?::date as scraped_date) x
     where c.name = ? and s.store_id = ? and ${USABLE}`,
    [scrapedDate, store.company, store.storeId, DIGEST_VERSION],
  )) as Rows<{ store_id: string | number; serial: string | number; entries: Uint8Array; patch: Uint8Array; dropped: Uint8Array }>;
  const row = found.rows[0];
  if (row === undefined) return undefined;
  return new DigestEntries(Number(row.store_id), String(row.serial), { base: row.entries, patch: row.patch, dropped: row.dropped }, rawSeed(store, givenStoreId));
}

/**
 * A digest as stored: the entries of its last full write (`base`), and since then the entries
 * written or rewritten (`patch`, which wins over the base for its products) and the products gone
 * (`dropped`, 8 bytes each, unless the patch has them again).
 */
interface StoredDigest {
  readonly base: Uint8Array;
  readonly patch: Uint8Array;
  readonly dropped: Uint8Array;
}

/** A digest is rewritten whole once its patch and dropped products reach this share of its base. */
const PATCH_SHARE = 1 / 16;

/** Words of an entry: record hash (2), product (2), raw hash (2), category (2). */
const WORDS = ENTRY_BYTES / 4;
const TWO_32 = 4294967296;

/**
 * A digest's entries as read: their 32-bit words in typed arrays, and open-addressed tables of entry
 * numbers by raw hash (built at once: every line is looked up) and by record hash (built when a
 * parsed line first asks). No object or string per entry: a steady day reads some 10,000,000.
 */
class DigestEntries implements StoreDigest {
  readonly size: number;
  readonly patchable: boolean;
  private readonly words: Int32Array;
  private readonly raw: Int32Array;
  private records: Int32Array | undefined;
  private readonly inPatch: ReadonlySet<number>;

  constructor(
    readonly storeId: number,
    readonly serial: string,
    stored: StoredDigest,
    readonly seed: LineHash,
  ) {
    const base = wordsOf(stored.base, ENTRY_BYTES);
    const patch = wordsOf(stored.patch, ENTRY_BYTES);
    const dropped = wordsOf(stored.dropped, 8);
    const inPatch = new Set<number>();
    for (let at = 2; at < patch.length; at += WORDS) inPatch.add(idAt(patch, at));
    const gone = new Set(inPatch);
    for (let at = 0; at < dropped.length; at += 2) gone.add(idAt(dropped, at));
    // The base but for the products the patch rewrites or that are gone, then the patch.
    const words = gone.size === 0 ? base : new Int32Array(base.length + patch.length);
    let n = base.length;
    if (gone.size > 0) {
      n = 0;
      for (let at = 0; at < base.length; at += WORDS) {
        if (gone.has(idAt(base, at + 2))) continue;
        for (let k = 0; k < WORDS; k++) words[n++] = base[at + k]!;
      }
      words.set(patch, n);
      n += patch.length;
    }
    this.words = words.subarray(0, n);
    this.size = n / WORDS;
    this.inPatch = inPatch;
    this.patchable = (patch.length / WORDS + dropped.length / 2) <= PATCH_SHARE * (base.length / WORDS);
    this.raw = this.table(4, true);
  }

  patched(productId: number): boolean {
    return this.inPatch.has(productId);
  }

  holds(entry: DigestEntry): boolean {
    this.records ??= this.table(0, false);
    const i = this.find(this.records, 0, entry.hash[0], entry.hash[1]);
    if (i < 0) return false;
    const w = this.words;
    const at = i * WORDS;
    return this.number(at + 2) === entry.productId && w[at + 4] === (entry.raw?.[0] ?? 0) && w[at + 5] === (entry.raw?.[1] ?? 0) && this.number(at + 6) === (entry.categoryId ?? 0);
  }

  byBytes(hi: number, lo: number): RawEntry | undefined {
    const i = this.find(this.raw, 4, hi, lo);
    if (i < 0) return undefined;
    const w = this.words;
    const at = i * WORDS;
    const category = this.number(at + 6);
    return { rawHi: hi, rawLo: lo, productId: this.number(at + 2), hashHi: w[at]!, hashLo: w[at + 1]!, categoryId: category === 0 ? null : category };
  }

  byRecord(hash: LineHash): number | undefined {
    this.records ??= this.table(0, false);
    const i = this.find(this.records, 0, hash[0], hash[1]);
    return i < 0 ? undefined : this.number(i * WORDS + 2);
  }

  *products(): Generator<number> {
    for (let i = 0; i < this.size; i++) yield this.number(i * WORDS + 2);
  }

  /** A 64-bit id from its two words. */
  private number(at: number): number {
    return idAt(this.words, at);
  }

  /**
   * Entry numbers + 1 by the hash at word `offset` of each entry, at least twice as many slots as
   * entries; the later of two entries with one hash wins. With `skipZero`, 0:0 (a line without a raw
   * hash) is left out.
   */
  private table(offset: number, skipZero: boolean): Int32Array {
    const slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * this.size + 2)));
    const w = this.words;
    for (let i = 0; i < this.size; i++) {
      const hi = w[i * WORDS + offset]!;
      const lo = w[i * WORDS + offset + 1]!;
      if (skipZero && hi === 0 && lo === 0) continue;
      slots[this.slot(slots, offset, hi, lo)] = i + 1;
    }
    return slots;
  }

  /** The entry number of (`hi`, `lo`) in `slots`, or -1. */
  private find(slots: Int32Array, offset: number, hi: number, lo: number): number {
    return slots[this.slot(slots, offset, hi, lo)]! - 1;
  }

  /** The slot of (`hi`, `lo`) in `slots` (linear probing): the one holding it, or the empty one where it goes. */
  private slot(slots: Int32Array, offset: number, hi: number, lo: number): number {
    const mask = slots.length - 1;
    const w = this.words;
    for (let slot = slotOf(hi, lo) & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0 || (w[(held - 1) * WORDS + offset] === hi && w[(held - 1) * WORDS + offset + 1] === lo)) return slot;
    }
  }
}

const slotOf = (hi: number, lo: number) => Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> 7;

/** The 64-bit id whose two words are at `at` in `words`. */
const idAt = (words: Int32Array, at: number) => words[at]! * TWO_32 + (words[at + 1]! >>> 0);

/** The big-endian 32-bit words of whole items of `itemBytes` in `bytes`. */
function wordsOf(bytes: Uint8Array, itemBytes: number): Int32Array {
  const length = bytes.length - (bytes.length % itemBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  const words = new Int32Array(length / 4);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(4 * i, false);
  return words;
}

/**
 * The stores (as {@link refKey}s) that have a digest of this version: a store without one (every
 * store on a first day) is not asked for it file by file.
 */
export async function storesWithDigests(knex: Knex): Promise<Set<string>> {
  const found = (await knex.raw(
    `select c.name as company, s.store_id from store_digests d join stores s on s.id = d.store_id join companies c on c.id = s.company_id where d.version = ?`,
    [DIGEST_VERSION],
  )) as Rows<{ company: string; store_id: string }>;
  return new Set(found.rows.map((r) => refKey(r.company, r.store_id)));
}

/**
 * The serials of the digests of `stores` that are valid for a file of `scrapedDate`: of this version,
 * dated the store's last import and last full scrape, older than the file, and of a store that does
 * not read the rows of another store of the batch.
 */
export async function validDigests(trx: Knex.Transaction, stores: ReadonlyArray<{ storeId: number; scrapedDate: string }>, batch: readonly number[]): Promise<Map<number, string>> {
  const valid = new Map<number, string>();
  if (stores.length === 0) return valid;
  // A store whose source's file is in the same batch goes the full path: its unchanged products
  // would need the source's rows as they were before the batch rewrote them.
  const found = (await trx.raw(
    `select d.store_id, d.serial
     from store_digests d join stores s on s.id = d.store_id
     join jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date) on x.store_id = d.store_id
     where ${USABLE}
       and not exists (select 1 from price_sharing sh where sh.store_id = d.store_id and sh.source_store_id = any(?::bigint[]))`,
    [JSON.stringify(stores.map((s) => ({ store_id: s.storeId, scraped_date: s.scrapedDate }))), DIGEST_VERSION, bigintArray(batch)],
  )) as Rows<{ store_id: string | number; serial: string | number }>;
  for (const row of found.rows) valid.set(Number(row.store_id), String(row.serial));
  return valid;
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
 * Of the staged catalogue records (`catalogue`, aliased `c`; a `from` clause follows): whether a
 * record's raw hash may stand for it (its barcode none or its product's) as `keeps_raw`, and the
 * category its path names as `category_id`.
 */
function recordFactsSql(catalogue: string): string {
  return `case when c.given_barcode is null or c.given_barcode = p.barcode then 1 else 0 end as keeps_raw, g.id as category_id
     from ${catalogue} c left join products p on p.id = c.product_id
     left join categories g on g.company_id = c.company_id and c.category_path <> '' and g.path = replace(c.category_path, chr(31), ' > ')`;
}

/** Of a staged catalogue record: its product, and what {@link recordFactsSql} says of it. */
export interface RecordFacts {
  readonly productId: number;
  readonly keepsRaw: boolean;
  readonly categoryId: number | null;
}

/** The facts of the staged catalogue records `catNos`, by record number. */
export async function catalogueFacts(trx: Knex.Transaction, catNos: readonly number[]): Promise<Map<number, RecordFacts>> {
  if (catNos.length === 0) return new Map();
  type Row = { cat_no: number; product_id: string | number; keeps_raw: number; category_id: string | number | null };
  // A semi-join: `= any(array)` would scan the array once per staged record.
  const result = (await trx.raw(`select c.cat_no, c.product_id, ${recordFactsSql(CATALOGUE)} where c.cat_no in (select unnest(?::int[]))`, [[...catNos]])) as Rows<Row>;
  return new Map(
    result.rows.map((r) => [r.cat_no, { productId: Number(r.product_id), keepsRaw: r.keeps_raw === 1, categoryId: r.category_id === null ? null : Number(r.category_id) }]),
  );
}

/** What {@link rewriteDigests} needs of an unchanged product (./staging.ts) or of a first-day one (./first-day.ts). */
export interface UnchangedEntry {
  readonly file: { readonly storeId: number };
  /**
   * Null when its raw hash and category are final: a line taken unparsed (the old digest's) or a
   * first-day line (resolved by ./first-day.ts).
   */
  readonly catNo: number | null;
  readonly productId: number;
  readonly hash: LineHash;
  readonly raw: LineHash | null;
  readonly categoryId: number | null;
}

/**
 * After the batch's writes: a new digest for each store of `written` (its full syncs, dated
 * `scrapedDate`), from its staged first lines and its unchanged ones; the digests of the batch's
 * other stores are deleted. A line keeps its raw hash only if its record carried no barcode or its
 * product's own (see the head of this file); its category is the one its record's path names. The
 * staged lines' entries are put together by the database, the unchanged products' (known to this
 * process, most of a steady day's) here, so that neither side handles every line.
 *
 * A store still on its digest (`onDigest`, the digests its file was read with) whose digest is
 * {@link StoreDigest.patchable} gets a patch instead of a whole new digest: its base stays, its patch
 * becomes the entries its staged and parsed lines write plus the old patch's entries its unparsed
 * lines repeat, and the rest of its digest ({@link DIGEST_REST}) joins its dropped products. A
 * steady day so writes a few dozen entries a store, not its thousands.
 */
export async function rewriteDigests(
  trx: Knex.Transaction,
  batch: readonly number[],
  written: ReadonlyArray<{ storeId: number; scrapedDate: string }>,
  unchanged: readonly UnchangedEntry[],
  onDigest: ReadonlyMap<number, StoreDigest> = new Map(),
): Promise<void> {
  const keep = bigintArray(written.map((w) => w.storeId));
  await trx.raw(`delete from store_digests d where d.store_id = any(?::bigint[]) and d.store_id <> all(?::bigint[])`, [bigintArray(batch), keep]);
  if (written.length === 0) return;
  const writing = new Set(written.map((w) => w.storeId));
  const known = unchanged.filter((u) => writing.has(u.file.storeId));
  const records = await catalogueFacts(trx, [...new Set(known.flatMap((u) => (u.catNo === null ? [] : [u.catNo])))]);
  const ofStore = new Map<number, UnchangedEntry[]>();
  for (const u of known) {
    const list = ofStore.get(u.file.storeId);
    if (list) list.push(u);
    else ofStore.set(u.file.storeId, [u]);
  }
  const patched = written.filter((w) => onDigest.get(w.storeId)?.patchable === true);
  const whole = written.filter((w) => onDigest.get(w.storeId)?.patchable !== true);
  const entries = (w: { storeId: number; scrapedDate: string }, list: readonly DigestEntry[]) => ({
    store_id: w.storeId,
    scraped_date: w.scrapedDate,
    entries: entryBytes(list).toString('base64'),
  });
  const stagedEntries = `select f.store_id, string_agg(
         int4send(f.hash_hi) || int4send(f.hash_lo) || int8send(f.product_id)
         || case when f.raw_hi is not null and r.keeps_raw = 1 then int4send(f.raw_hi) || int4send(f.raw_lo) else int8send(0) end
         || int8send(coalesce(r.category_id, 0)), ''::bytea) as entries
       from (${stagedOf(PRICES)} union all ${stagedOf(SHARED)}) f
       left join (select c.cat_no, ${recordFactsSql(CATALOGUE)}) r on r.cat_no = f.cat_no
       group by f.store_id`;
  if (whole.length > 0) {
    const stores = bigintArray(whole.map((w) => w.storeId));
    await trx.raw(
      `insert into store_digests (store_id, scraped_date, version, serial, entries)
       select x.store_id, x.scraped_date, ?, nextval('store_digest_serials'), coalesce(e.entries, ''::bytea) || decode(x.entries, 'base64')
       from jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date, entries text)
       left join (${stagedEntries}) e on e.store_id = x.store_id
       on conflict (store_id) do update set scraped_date = excluded.scraped_date, version = excluded.version, serial = excluded.serial,
         entries = excluded.entries, patch = ''::bytea, dropped = ''::bytea`,
      [DIGEST_VERSION, JSON.stringify(whole.map((w) => entries(w, (ofStore.get(w.storeId) ?? []).map((u) => entryOf(u, records))))), stores, stores],
    );
  }
  if (patched.length > 0) {
    const stores = bigintArray(patched.map((w) => w.storeId));
    const patches = patched.map((w) => {
      // The old patch's entries the file repeats, and parsed lines whose entry the digest does not hold as it is.
      const digest = onDigest.get(w.storeId)!;
      const list = (ofStore.get(w.storeId) ?? []).flatMap((u) => {
        if (digest.patched(u.productId)) return [entryOf(u, records)];
        if (u.catNo === null) return [];
        const entry = entryOf(u, records);
        return digest.holds(entry) ? [] : [entry];
      });
      return entries(w, list);
    });
    await trx.raw(
      `update store_digests d set scraped_date = x.scraped_date, version = ?, serial = nextval('store_digest_serials'),
         patch = decode(x.entries, 'base64') || coalesce(e.entries, ''::bytea), dropped = d.dropped || coalesce(g.products, ''::bytea)
       from jsonb_to_recordset(?::jsonb) as x(store_id bigint, scraped_date date, entries text)
       left join (${stagedEntries}) e on e.store_id = x.store_id
       left join (select store_id, string_agg(int8send(product_id), ''::bytea) as products from ${DIGEST_REST} where store_id = any(?::bigint[]) group by store_id) g
         on g.store_id = x.store_id
       where d.store_id = x.store_id`,
      [DIGEST_VERSION, JSON.stringify(patches), stores, stores, stores],
    );
  }
}

/** The staged first lines of the stores of a parameter (`?`) in `table`, for their digest entries. */
const stagedOf = (table: string) => `select store_id, product_id, hash_hi, hash_lo, raw_hi, raw_lo, cat_no from ${table} where store_id = any(?::bigint[])`;

/** The digest entry of an unchanged line: a parsed line's raw hash and category as its staged record says. */
function entryOf(u: UnchangedEntry, records: ReadonlyMap<number, RecordFacts>): DigestEntry {
  if (u.catNo === null) return u;
  const facts = records.get(u.catNo);
  return { hash: u.hash, productId: u.productId, raw: facts?.keepsRaw === true ? u.raw : null, categoryId: facts?.categoryId ?? null };
}

/** Digest entries as stored (32 bytes each; see the head of this file). */
function entryBytes(list: readonly DigestEntry[]): Buffer {
  const bytes = Buffer.alloc(list.length * ENTRY_BYTES);
  list.forEach((u, i) => {
    const at = i * ENTRY_BYTES;
    bytes.writeInt32BE(u.hash[0], at);
    bytes.writeInt32BE(u.hash[1], at + 4);
    writeId(bytes, u.productId, at + 8);
    // 0:0 marks a line without a raw hash; 0 a record without a category.
    bytes.writeInt32BE(u.raw?.[0] ?? 0, at + 16);
    bytes.writeInt32BE(u.raw?.[1] ?? 0, at + 20);
    writeId(bytes, u.categoryId ?? 0, at + 24);
  });
  return bytes;
}

/** A (non-negative, at most 2^53) id as a big-endian 64-bit integer at `at`, without a BigInt. */
function writeId(bytes: Buffer, id: number, at: number): void {
  bytes.writeUInt32BE(Math.floor(id / TWO_32), at);
  bytes.writeUInt32BE(id % TWO_32, at + 4);
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

/**
 * Digests of the second format: each entry also holds its line's raw hash and category, and each
 * digest its version (digests of another version are never used) and a serial that changes with
 * every rewrite. The digests of the first format are dropped (a cache: the next import writes new ones).
 */
export const rawDigestsMigration: Migration = {
  name: '0012_raw_store_digests',
  async up(knex: Knex) {
    await knex.raw(`delete from store_digests`);
    await knex.raw(`create sequence store_digest_serials`);
    await knex.raw(`alter table store_digests add column version text not null default '', add column serial bigint not null default nextval('store_digest_serials')`);
    // A line taken unparsed resolves as its record did: nothing outside an import may move a SKU or
    // a barcode (an import only adds SKUs and gives barcodes to products without one).
    for (const [table, writes] of RESOLVING) await knex.raw(`create trigger ${table}_forgets_digests after ${writes} on ${table} for each statement execute function forget_store_digests()`);
  },
  async down(knex: Knex) {
    for (const [table] of RESOLVING) await knex.raw(`drop trigger ${table}_forgets_digests on ${table}`);
    await knex.raw(`delete from store_digests`);
    await knex.raw(`alter table store_digests drop column version, drop column serial`);
    await knex.raw(`drop sequence store_digest_serials`);
  },
};

/**
 * Digests stored uncompressed: a digest is mostly hashes, which do not compress, and PostgreSQL's
 * default compression still tried every byte. A batch of 20 digests of 2,500 entries took 161 ms
 * to write with it and 11 ms without (docs/import.md); stored, they are some 30% larger.
 */
export const uncompressedDigestsMigration: Migration = {
  name: '0013_uncompressed_store_digests',
  async up(knex: Knex) {
    await knex.raw(`alter table store_digests alter column entries set storage external`);
  },
  async down(knex: Knex) {
    await knex.raw(`alter table store_digests alter column entries set storage extended`);
  },
};

/**
 * Digests written as patches (./store-digest.ts, {@link rewriteDigests}): a steady day writes the
 * entries that changed and the products gone, not the whole digest again.
 */
export const patchedDigestsMigration: Migration = {
  name: '0014_patched_store_digests',
  async up(knex: Knex) {
    await knex.raw(`alter table store_digests add column patch bytea not null default ''::bytea, add column dropped bytea not null default ''::bytea`);
    await knex.raw(`alter table store_digests alter column patch set storage external, alter column dropped set storage external`);
  },
  async down(knex: Knex) {
    // A base without its patch is not the digest: they go (a cache: the next import writes new ones).
    await knex.raw(`delete from store_digests`);
    await knex.raw(`alter table store_digests drop column patch, drop column dropped`);
  },
};
