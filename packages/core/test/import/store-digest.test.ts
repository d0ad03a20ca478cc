import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import type { FileReport, ImportOptions } from '../../src/import/import-file.js';
import { readForImport, readingOptions } from '../../src/import/read-for-import.js';
import { importBatch } from '../../src/import/import-batch.js';
import { lineHash, priceHash, rawLineHash, rawSeed, recordLanes } from '../../src/import/store-digest.js';
import type { ImportRow } from '../../src/import/scrape-record.js';
import { testDatabase } from '../../src/testing/index.js';
import { content } from './db-snapshot.js';
import { line, tempDir, writeScrape, type ProductFields } from './scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const PRODUCTS = 40;

/** A store's day: product i at `price(i)`, the products of `gone` left out, `extra` lines appended. */
function day(dir: string, store: string, date: string, options: { price?: (i: number) => number; gone?: number[]; extra?: ProductFields[]; first?: ProductFields[] } = {}): string {
  const price = options.price ?? ((i: number) => 1 + (i % 9));
  const products = Array.from({ length: PRODUCTS }, (_, i) => i).filter((i) => !options.gone?.includes(i));
  const lines = [
    ...(options.first ?? []).map((p) => line(p, { store_id: store, scraped_date: date })),
    ...products.map((i) => line({ sku: `P${i}`, name: `Product ${i} ${(i % 5) + 1}kg`, brand: `Brand ${i % 3}`, price_current: price(i) }, { store_id: store, scraped_date: date })),
    ...(options.extra ?? []).map((p) => line(p, { store_id: store, scraped_date: date })),
  ];
  return writeScrape(dir, `${store}-${date}.jsonl`, lines);
}

/** Two databases fed the same: one on the full path, one with digests. */
async function twins(t: ExecutionContext) {
  const full = (await testDatabase(t)).knex;
  const digested = (await testDatabase(t)).knex;
  return {
    full,
    digested,
    async both(files: string[]): Promise<FileReport[]> {
      const plain = await importFiles(full, files, { digest: false });
      const reports = await importFiles(digested, files, { digest: true });
      const strip = (r: FileReport) => ({ ...r, seconds: 0, unchangedInDigest: 0, unparsedInDigest: 0 });
      t.deepEqual(reports.map(strip), plain.map(strip), 'the same reports');
      return reports;
    },
    async sql(statement: string): Promise<void> {
      for (const knex of [full, digested]) await knex.raw(statement);
    },
    async same(when: string): Promise<void> {
      const stored = async (knex: Knex) => {
        const { store_digests: _digests, ...rest } = await content(knex);
        return rest;
      };
      t.deepEqual(await stored(digested), await stored(full), `${when}: everything stored is the same`);
    },
  };
}

const digests = async (knex: Knex) => Number((await knex.raw(`select count(*)::int as n from store_digests`)).rows[0].n);

test(`a steady day stages only what changed and stores what the full path stores (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  const first = await db.both([day(dir, 'G1', '2026-01-01'), day(dir, 'G2', '2026-01-01')]);
  t.deepEqual(first.map((r) => r.unchangedInDigest), [undefined, undefined], 'no digest on the first day');
  t.is(await digests(db.digested), 2);
  t.is(await digests(db.full), 0, 'no digest is kept without the switch');
  await db.same('day 1');

  // Day 2: two prices change, one product goes, one is new.
  const changed = (i: number) => (i === 3 || i === 7 ? 20 + i : 1 + (i % 9));
  const second = await db.both([day(dir, 'G1', '2026-01-02', { price: changed, gone: [11], extra: [{ sku: 'NEW', name: 'Brand new 1kg', price_current: 4 }] }), day(dir, 'G2', '2026-01-02')]);
  t.deepEqual(second.map((r) => r.unchangedInDigest), [PRODUCTS - 3, PRODUCTS]);
  // The first line of a file is always parsed: it names the store and the date.
  t.deepEqual(second.map((r) => r.unparsedInDigest), [PRODUCTS - 4, PRODUCTS - 1], 'every other unchanged line was recognised from its bytes');
  t.deepEqual(second[0]!.rows, { inserted: 1, updated: 2, unchanged: PRODUCTS - 3, deleted: 1 });
  t.is(second[0]!.history, 3);
  await db.same('day 2');

  // Day 3 reads the digest day 2 wrote: the new product is in it, the gone one is not.
  const third = await db.both([day(dir, 'G1', '2026-01-03', { price: changed, gone: [11], extra: [{ sku: 'NEW', name: 'Brand new 1kg', price_current: 4 }] })]);
  t.is(third[0]!.unchangedInDigest, PRODUCTS);
  await db.same('day 3');
});

test(`digests are stored uncompressed, whole, and used the next day (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  const { rows } = await db.digested.raw(`select attstorage from pg_attribute where attrelid = 'store_digests'::regclass and attname = 'entries'`);
  t.is(rows[0].attstorage, 'e', 'out of line, never compressed');
  await db.both([day(dir, 'G1', '2026-01-01')]);
  const stored = (await db.digested.raw(`select length(entries)::int as bytes, pg_column_size(entries)::int as size from store_digests`)).rows[0];
  t.is(stored.bytes, PRODUCTS * 32, 'one 32-byte entry a product');
  t.true(stored.size >= stored.bytes, `stored as it is (${stored.size} bytes for ${stored.bytes})`);
  const second = await db.both([day(dir, 'G1', '2026-01-02', { price: (i) => (i === 3 ? 20 : 1 + (i % 9)) })]);
  t.is(second[0]!.unchangedInDigest, PRODUCTS - 1, 'the next day read it');
  await db.same('day 2');
});

test(`a steady day patches its store's digest: the patch carries on, products gone are dropped, and a large patch is written whole again (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  const stored = async () => (await db.digested.raw(`select length(entries)::int as base, length(patch)::int as patch, length(dropped)::int as dropped from store_digests`)).rows[0];
  const price = (changed: number[]) => (i: number) => (changed.includes(i) ? 30 + i : 1 + (i % 9));
  await db.both([day(dir, 'G1', '2026-01-01')]);
  t.deepEqual(await stored(), { base: PRODUCTS * 32, patch: 0, dropped: 0 });
  // Day 2: P3 changes. The patch holds its new entry; the base keeps the old one, dropped.
  let report = await db.both([day(dir, 'G1', '2026-01-02', { price: price([3]) })]);
  t.is(report[0]!.unchangedInDigest, PRODUCTS - 1);
  t.deepEqual(await stored(), { base: PRODUCTS * 32, patch: 32, dropped: 8 }, 'one entry written, one base entry dropped');
  await db.same('day 2');
  // Day 3: P3 as yesterday (found in the patch, carried on), P7 changes, P11 is gone.
  report = await db.both([day(dir, 'G1', '2026-01-03', { price: price([3, 7]), gone: [11] })]);
  t.is(report[0]!.unchangedInDigest, PRODUCTS - 2, 'P3 was found in the patch');
  t.is(report[0]!.unparsedInDigest, PRODUCTS - 3, 'by its bytes');
  t.deepEqual(await stored(), { base: PRODUCTS * 32, patch: 2 * 32, dropped: 3 * 8 });
  await db.same('day 3');
  // Day 4: P11 is back as on day 1; it is not in the digest (dropped), so it is new. The patch was a
  // sixteenth of the base: the digest is written whole.
  report = await db.both([day(dir, 'G1', '2026-01-04', { price: price([3, 7]) })]);
  t.is(report[0]!.unchangedInDigest, PRODUCTS - 1, 'P3 and P7 from the patch, P11 not from the base');
  t.deepEqual(await stored(), { base: PRODUCTS * 32, patch: 0, dropped: 0 });
  await db.same('day 4');
  report = await db.both([day(dir, 'G1', '2026-01-05', { price: price([3, 7]) })]);
  t.is(report[0]!.unchangedInDigest, PRODUCTS, 'the whole digest reads as the patched one would');
  await db.same('day 5');
});

test(`a write to a store's prices outside an import forgets its digest (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  await db.both([day(dir, 'G1', '2026-01-01'), day(dir, 'G2', '2026-01-01')]);
  t.is(await digests(db.digested), 2);
  await db.sql(`update prices set price = price + 1 where product_id = (select product_id from product_skus where sku = 'P5') and store_id = (select id from stores where store_id = 'G1')`);
  t.is(await digests(db.digested), 0, 'a price written by hand forgets every digest');
  const second = await db.both([day(dir, 'G1', '2026-01-02'), day(dir, 'G2', '2026-01-02')]);
  t.deepEqual(second.map((r) => r.unchangedInDigest), [undefined, undefined], 'both went the full path');
  t.is(second[0]!.history, 1, 'the price set by hand is a change against the file');
  await db.same('after the full path');
  t.is(await digests(db.digested), 2, 'and have digests again');
  // So does a deleted price row, or an exclusion mark written by hand.
  await db.sql(`delete from prices where product_id = (select product_id from product_skus where sku = 'P6') and store_id = (select id from stores where store_id = 'G2')`);
  t.is(await digests(db.digested), 0);
  await db.both([day(dir, 'G1', '2026-01-03'), day(dir, 'G2', '2026-01-03')]);
  await db.same('day 3');
  await db.sql(`insert into price_exclusions (store_id, product_id) select s.id, k.product_id from stores s, product_skus k where s.store_id = 'G1' and k.sku = 'P7'`);
  t.is(await digests(db.digested), 0);
});

test(`a line whose SKU now names another product, or whose product a changed line names first, goes the full path (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  await db.both([day(dir, 'G1', '2026-01-01'), day(dir, 'G2', '2026-01-01')]);
  // G1's unchanged line for P1 now resolves to P2's product.
  await db.sql(`update product_skus set product_id = (select product_id from product_skus where sku = 'P2') where sku = 'P1'`);
  // G2's file (without P1) lists P4 twice: first at a new price, then as yesterday (the first line counts).
  const second = await db.both([
    day(dir, 'G1', '2026-01-02'),
    day(dir, 'G2', '2026-01-02', { gone: [1], first: [{ sku: 'P4', name: 'Product 4 5kg', brand: 'Brand 1', price_current: 33 }] }),
  ]);
  t.deepEqual(second.map((r) => r.unchangedInDigest), [undefined, undefined]);
  t.deepEqual(second.map((r) => r.duplicates), [1, 1], 'P1 and P2 are one product now; G2 lists P4 twice');
  await db.same('day 2');
  const price = (await db.digested.raw(`select p.price::text from prices p join stores s on s.id = p.store_id join product_skus k on k.product_id = p.product_id where s.store_id = 'G2' and k.sku = 'P4'`)).rows;
  t.deepEqual(price, [{ price: '33.00' }]);
});

test(`a file holding less than 90% of the digest is a partial scrape on the full path; a partial file keeps no digest (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  await db.both([day(dir, 'G1', '2026-01-01')]);
  const short = await db.both([day(dir, 'G1', '2026-01-02', { gone: [0, 1, 2, 3, 4, 5] })]);
  t.is(short[0]!.mode, 'upsert');
  t.is(short[0]!.unchangedInDigest, undefined);
  t.is(await digests(db.digested), 0, 'an upsert leaves no digest');
  await db.same('after the partial day');
  const whole = await db.both([day(dir, 'G1', '2026-01-03')]);
  t.is(whole[0]!.mode, 'full');
  t.is(await digests(db.digested), 1);
  const next = await db.both([day(dir, 'G1', '2026-01-04')]);
  t.is(next[0]!.unchangedInDigest, PRODUCTS);
  await db.same('day 4');
});

test('a line\'s record hash, taken on from its record\'s catalogue fields, is the hash of the whole line', (t) => {
  const row: ImportRow = { lineNo: 1, sku: 'P1', name: 'Rice 1kg', brand: 'Sunrice', brandKey: 'sunrice', barcode: '9300000000001', nnbs: 'rice sunrice 1kg', sizes: ['1kg'], categoryPath: ['Pantry', 'Rice'], price: 2.5, wasPrice: 3, isOnSpecial: true, unitPrice: 2.5, unit: 'kg', isAvailable: true };
  // The values digests were written with before the hash was split (a digest must stay readable).
  t.deepEqual(lineHash(row), [-1596491522, 1124975577]);
  t.deepEqual(lineHash({ ...row, price: 2.6 }), [1838761712, 1299518551]);
  const lanes = recordLanes(row);
  for (const other of [row, { ...row, price: 2.6 }, { ...row, wasPrice: null, isOnSpecial: false }, { ...row, unitPrice: null, unit: null, isAvailable: null }, { ...row, brand: null, barcode: null, sizes: [], categoryPath: [] }]) {
    t.deepEqual(priceHash(recordLanes(other), other), lineHash(other));
  }
  t.deepEqual(priceHash(lanes, { ...row, price: 2.6 }), lineHash({ ...row, price: 2.6 }), 'one record at another price: the record\'s lanes serve');
  t.notDeepEqual(recordLanes({ ...row, name: 'Rice 2kg' }), lanes, 'the lanes are the record\'s');
});

test(`a store without a digest is not asked for one, unless an earlier file of the run may have written it (${database})`, async (t) => {
  const dir = tempDir(t);
  const knex = (await testDatabase(t)).knex;
  await importFiles(knex, [day(dir, 'G1', '2026-01-01')], { digest: true });
  const options = readingOptions<ImportOptions>(knex, { digest: true });
  const ref = (storeId: string) => ({ company: 'aldi', storeId, storeName: null, state: null });
  t.truthy(await options.digestOf!(ref('G1'), '2026-01-02'), 'a store with a digest reads it');
  t.is(await options.digestOf!(ref('G2'), '2026-01-01'), undefined, 'a store with none when the run began');
  // G2's first file is imported (as an earlier batch of the run would), then its next file is read.
  await importFiles(knex, [day(dir, 'G2', '2026-01-01')], { digest: true });
  t.truthy(await options.digestOf!(ref('G2'), '2026-01-02'), 'the same store\'s next file asks again, and finds it');
  t.is(await options.digestOf!(ref('G3'), '2026-01-01'), undefined);
});

test('a line\'s raw hash leaves out its scraped date, and only that', (t) => {
  const seed = rawSeed({ company: 'aldi', storeId: 'G1', storeName: null, state: null }, undefined);
  const hash = (text: string, date: string) => {
    const out = new Int32Array(2);
    const bytes = Buffer.from(text);
    return rawLineHash(bytes, 0, bytes.length, Buffer.from(date), seed, out) ? [...out].join(':') : 'parsed';
  };
  const p = { sku: 'P1', name: 'Rice 1kg', price_current: 2 };
  const monday = hash(line(p, { scraped_date: '2026-01-01' }), '2026-01-01');
  t.is(hash(line(p, { scraped_date: '2026-01-02' }), '2026-01-02'), monday, 'the date of the file is left out');
  t.not(hash(line({ ...p, price_current: 3 }, { scraped_date: '2026-01-02' }), '2026-01-02'), monday, 'a price is not');
  t.not(hash(line(p, { scraped_date: '2026-01-02' }).replace(/":/g, '": '), '2026-01-02'), monday, 'blanks change the bytes');
  t.not(hash(line({ ...p, name: '2026-01-02' }, { scraped_date: '2026-01-02' }), '2026-01-02'), hash(line({ ...p, name: '2026-01-01' }, { scraped_date: '2026-01-01' }), '2026-01-01'), 'a date elsewhere is hashed');
  t.is(hash(line(p, { scraped_date: ' 2026-01-02' }), '2026-01-02'), 'parsed', 'a date written otherwise is parsed');
  t.is(hash(line(p, { scraped_date: '2026-01-03' }), '2026-01-02'), 'parsed', 'a line of another date is parsed');
  const other = rawSeed({ company: 'aldi', storeId: 'G2', storeName: null, state: null }, undefined);
  const bytes = Buffer.from(line(p, { scraped_date: '2026-01-01' }));
  const out = new Int32Array(2);
  rawLineHash(bytes, 0, bytes.length, Buffer.from('2026-01-01'), other, out);
  t.not([...out].join(':'), monday, 'another store, another hash');
});

test(`a digest of another version is not used; one rewritten after the file was read sends the file back to be parsed (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  await db.both([day(dir, 'G1', '2026-01-01'), day(dir, 'G2', '2026-01-01')]);
  await db.digested.raw(`update store_digests set version = '1/0.0.1'`);
  const second = await db.both([day(dir, 'G1', '2026-01-02'), day(dir, 'G2', '2026-01-02')]);
  t.deepEqual(second.map((r) => r.unchangedInDigest), [undefined, undefined], 'a digest of another version is thrown away');
  await db.same('day 2');

  const file = day(dir, 'G1', '2026-01-03', { price: (i) => (i === 5 ? 50 : 1 + (i % 9)) });
  const options = readingOptions<ImportOptions>(db.digested, { digest: true });
  const read = await readForImport(file, options);
  t.true('scrape' in read && read.scrape.repeated!.length === PRODUCTS - 2, 'the unchanged lines but the first are not parsed');
  await db.digested.raw(`update store_digests set serial = nextval('store_digest_serials')`);
  const [again] = await importBatch(db.digested, [read], options);
  const [plain] = await importFiles(db.full, [file], { digest: false });
  t.is(again!.unparsedInDigest, undefined, 'the file was read again, every line parsed');
  t.is(again!.unchangedInDigest, PRODUCTS - 1, 'and its lines found in the new digest by their records');
  t.deepEqual({ ...again!, seconds: 0, unchangedInDigest: 0 }, { ...plain!, seconds: 0, unchangedInDigest: 0 });
  await db.same('day 3');
});

test(`a product listed twice, first changed then as before, and a line in other bytes are taken as the full path takes them (${database})`, async (t) => {
  const dir = tempDir(t);
  const db = await twins(t);
  await db.both([day(dir, 'G1', '2026-01-01')]);
  // P4 first at a new price, then byte for byte as yesterday: the first line counts, so the store goes the full path.
  const twice = await db.both([day(dir, 'G1', '2026-01-02', { first: [{ sku: 'P4', name: 'Product 4 5kg', brand: 'Brand 1', price_current: 33 }] })]);
  t.is(twice[0]!.unchangedInDigest, undefined);
  t.is(twice[0]!.duplicates, 1);
  await db.same('day 2');
  // A line whose fields are reordered is parsed and found by its record.
  const reordered = (date: string) => {
    const lines = fs.readFileSync(day(dir, 'G1', date), 'utf8').split('\n');
    lines[2] = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(lines[2]!) as object).reverse()));
    const file = path.join(dir, `G1-reordered-${date}.jsonl`);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };
  const third = await db.both([reordered('2026-01-03')]);
  t.is(third[0]!.unchangedInDigest, PRODUCTS - 1, 'all but P4, whose first line changed on day 2');
  t.is(third[0]!.unparsedInDigest, PRODUCTS - 3, 'the first line and the reordered one were parsed');
  await db.same('day 3');
  // The digest (a patch of day 2's) now holds the reordered line's bytes: the next day finds it by them.
  const fourth = await db.both([reordered('2026-01-04')]);
  t.is(fourth[0]!.unchangedInDigest, PRODUCTS);
  t.is(fourth[0]!.unparsedInDigest, PRODUCTS - 1, 'only the first line was parsed');
  await db.same('day 4');
});
