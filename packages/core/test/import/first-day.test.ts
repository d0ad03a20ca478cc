import test from 'ava';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import type { FileReport } from '../../src/import/import-file.js';
import { firstDayStores } from '../../src/import/first-day.js';
import { testDatabase } from '../../src/testing/index.js';
import { content } from './db-snapshot.js';
import { line, tempDir, writeScrape, type ProductFields } from './scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** A store's file: products 0..n-1 (every third with a barcode), then `extra` lines. */
function scrape(dir: string, company: string, store: string, date: string, options: { n?: number; price?: (i: number) => number; extra?: ProductFields[]; partial?: boolean } = {}): string {
  const price = options.price ?? ((i: number) => 1 + (i % 7));
  const meta = { company, store_id: store, scraped_date: date, ...(options.partial ? { partial: true } : {}) };
  const lines = [
    ...Array.from({ length: options.n ?? 30 }, (_, i) =>
      line(
        {
          sku: `S${i}`,
          name: `Thing ${i} ${(i % 4) + 1}kg`,
          brand: `Brand ${i % 3}`,
          price_current: price(i),
          ...(i % 3 === 0 ? { barcode: String(9300000000000 + i * 10).slice(0, 12) + '0' } : {}),
          category_path: ['Pantry', i % 2 === 0 ? 'Rice' : 'Pasta'],
        },
        meta,
      ),
    ),
    ...(options.extra ?? []).map((p) => line(p, meta)),
  ];
  return writeScrape(dir, `${company}-${store}-${date}.jsonl`, lines);
}

/** The statements a database ran, as knex reports them. */
function statementsOf(knex: Knex): string[] {
  const seen: string[] = [];
  knex.on('query', (q: { sql: string }) => seen.push(q.sql));
  return seen;
}

test(`a store's first day, written straight, stores and reports what the comparing path does, and its digest serves the next day (${database})`, async (t) => {
  const dir = tempDir(t);
  const straight = (await testDatabase(t)).knex;
  const compared = (await testDatabase(t)).knex;
  const statements = statementsOf(straight);
  const both = async (files: string[]) => {
    const a = await importFiles(straight, files);
    const b = await importFiles(compared, files, { firstDay: false });
    const strip = (r: FileReport) => ({ ...r, seconds: 0 });
    t.deepEqual(a.map(strip), b.map(strip), 'the same reports');
    t.deepEqual(await content(straight), await content(compared), 'everything stored is the same, digests included');
    return a;
  };

  // Day 1: two chains; a product listed twice (the first line counts), a partial file, a store
  // whose file a later store of the batch shares records with.
  const day1 = await both([
    scrape(dir, 'aldi', 'G1', '2026-01-01', { extra: [{ sku: 'S4', name: 'Thing 4 1kg', brand: 'Brand 1', price_current: 99, category_path: ['Pantry', 'Rice'] }] }),
    scrape(dir, 'aldi', 'G2', '2026-01-01', { price: (i) => 2 + (i % 5) }),
    scrape(dir, 'coles', '0584', '2026-01-01', { n: 20 }),
    scrape(dir, 'aldi', 'G3', '2026-01-01', { n: 10, partial: true }),
  ]);
  t.deepEqual(
    day1.map((r) => [r.mode, r.rows.inserted, r.history, r.duplicates]),
    [
      ['full', 30, 30, 1],
      ['full', 30, 30, 0],
      ['full', 20, 20, 0],
      ['upsert', 10, 10, 0],
    ],
  );
  const priced = (await straight.raw(`select distinct p.price::float8 as price from prices p join products x on x.id = p.product_id join product_skus k on k.product_id = x.id join stores s on s.id = p.store_id where k.sku = 'S4' and s.store_id = 'G1'`)).rows;
  t.deepEqual(priced, [{ price: 5 }], "a product's first line is its price, not a later duplicate's");
  t.false(
    statements.some((sql) => /with added as \(insert into prices/.test(sql)),
    'no store of the first day went through the comparing plain insert',
  );

  // Day 2: the digests of the first day stand for the unchanged lines; a changed price is one event.
  const day2 = await both([scrape(dir, 'aldi', 'G1', '2026-01-02', { price: (i) => (i === 5 ? 50 : 1 + (i % 7)) }), scrape(dir, 'aldi', 'G2', '2026-01-02', { price: (i) => 2 + (i % 5) })]);
  t.deepEqual(
    day2.map((r) => [r.unchangedInDigest, r.rows.updated, r.history]),
    [
      [29, 1, 1],
      [30, 0, 0],
    ],
  );
});

test(`which stores are on their first day: none of their prices read, no history, nobody's source (${database})`, async (t) => {
  const dir = tempDir(t);
  const { knex } = await testDatabase(t);
  await importFiles(knex, [scrape(dir, 'aldi', 'G1', '2026-01-01'), scrape(dir, 'aldi', 'G2', '2026-01-01')]);
  const id = async (store: string) => Number((await knex.raw(`select id from stores where store_id = ?`, [store])).rows[0].id);
  const [g1, g2] = [await id('G1'), await id('G2')];
  await knex.raw(`insert into stores (company_id, store_id, name) select company_id, 'G9', 'new' from stores where id = ?`, [g1]);
  const g9 = await id('G9');
  const trx = await knex.transaction();
  try {
    t.deepEqual([...(await firstDayStores(trx, [g1, g2, g9]))], [g9], 'only the store never imported');
    // A store whose rows are all gone but whose history stays is compared with its last events.
    await trx.raw(`delete from prices where store_id = ?`, [g2]);
    t.deepEqual([...(await firstDayStores(trx, [g2]))], [], 'history alone keeps it off');
    await trx.raw(`delete from price_history where store_id = ?`, [g2]);
    t.deepEqual([...(await firstDayStores(trx, [g2]))], [g2], 'nothing left: a first day again');
    await trx.raw(`insert into price_sharing (store_id, source_store_id, scraped_date) values (?, ?, '2026-01-01')`, [g9, g2]);
    t.deepEqual([...(await firstDayStores(trx, [g2, g9]))], [], "a store another reads, and a store reading another's rows, are not");
  } finally {
    await trx.rollback();
  }
});

test(`a file of 130,000 lines imports on its first day and the next (no list of its lines is spread onto the stack) (${database})`, async (t) => {
  const dir = tempDir(t);
  const { knex } = await testDatabase(t);
  const LINES = 130_000;
  const file = (date: string, price: number) =>
    writeScrape(
      dir,
      `aldi-G1-${date}.jsonl`,
      Array.from({ length: LINES }, (_, i) => line({ sku: `S${i % 1000}`, name: `Thing ${i % 1000} 1kg`, price_current: i < 1000 ? price : 3 }, { store_id: 'G1', scraped_date: date })),
    );
  const [first] = await importFiles(knex, [file('2026-01-01', 2)]);
  t.deepEqual([first!.mode, first!.rows.inserted, first!.duplicates], ['full', 1000, LINES - 1000]);
  const [second] = await importFiles(knex, [file('2026-01-02', 4)], { digest: false });
  t.deepEqual([second!.mode, second!.rows.updated, second!.duplicates], ['full', 1000, LINES - 1000], 'every price changed, through the comparing path');
});
