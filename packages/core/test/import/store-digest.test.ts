import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import type { FileReport } from '../../src/import/import-file.js';
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
      const plain = await importFiles(full, files);
      const reports = await importFiles(digested, files, { digest: true });
      const strip = (r: FileReport) => ({ ...r, seconds: 0, unchangedInDigest: 0 });
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
  t.deepEqual(second[0]!.rows, { inserted: 1, updated: 2, unchanged: PRODUCTS - 3, deleted: 1 });
  t.is(second[0]!.history, 3);
  await db.same('day 2');

  // Day 3 reads the digest day 2 wrote: the new product is in it, the gone one is not.
  const third = await db.both([day(dir, 'G1', '2026-01-03', { price: changed, gone: [11], extra: [{ sku: 'NEW', name: 'Brand new 1kg', price_current: 4 }] })]);
  t.is(third[0]!.unchangedInDigest, PRODUCTS);
  await db.same('day 3');
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
