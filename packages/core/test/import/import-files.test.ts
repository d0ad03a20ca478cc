import test from 'ava';
import { importFiles } from '../../src/import/import-files.js';
import { testDatabase } from '../../src/testing/index.js';
import { line, tempDir, writeScrape } from './scrape-fixtures.js';

/** Three stores × three days, files handed over newest first and shuffled across stores. */
function scrapes(dir: string): string[] {
  const files: string[] = [];
  for (const day of [3, 2, 1]) {
    for (const store of ['G1', 'G2', 'G3']) {
      const lines = Array.from({ length: 30 }, (_, i) => line({ sku: `P${i}`, name: `Product ${i} ${i % 3}kg`, brand: `Brand ${i % 4}`, price_current: 1 + ((i * day) % 7) }, { store_id: store, scraped_date: `2026-01-0${day}` }));
      files.push(writeScrape(dir, `${store}-${day}.jsonl`, lines));
    }
  }
  return files;
}

test('files of one store are imported in date order whatever the order given; several jobs give the same database as one', async (t) => {
  const dir = tempDir(t);
  const files = scrapes(dir);
  const { orderByScrapedDate } = await import('../../src/import/file-order.js');
  const ordered = await orderByScrapedDate(files);

  const one = await testDatabase(t);
  const serial = await importFiles(one.knex, ordered, { jobs: 1 });
  t.deepEqual(serial.map((r) => r.mode), Array(9).fill('full'));

  const two = await testDatabase(t);
  const seen: string[] = [];
  const parallel = await importFiles(two.knex, ordered, { jobs: 3, onFile: (r) => seen.push(`${r.store}@${r.scrapedDate}`) });
  t.deepEqual(parallel.map((r) => r.mode), Array(9).fill('full'), 'no file was stale: each store went day by day');
  for (const store of ['G1', 'G2', 'G3']) {
    const days = seen.filter((s) => s.startsWith(`${store}@`));
    t.deepEqual(days, [...days].sort(), `${store} in date order`);
  }
  // Ids and timestamps differ with the order of work; what was stored must not.
  const content = (knex: import('knex').Knex) =>
    Promise.all([
      knex.raw(`select s.store_id, p.nnbs, x.price::text, x.was_price::text, x.is_on_special, x.scraped_date::text from prices x join stores s on s.id = x.store_id join products p on p.id = x.product_id order by 1, 2`),
      knex.raw(`select s.store_id, p.nnbs, h.price::text, h.scraped_date::text from price_history h join stores s on s.id = h.store_id join products p on p.id = h.product_id order by 1, 2, 4`),
      knex.raw(`select p.nnbs, p.sizes, b.key from products p left join brands b on b.id = p.brand_id order by 1`),
      knex.raw(`select sku, p.nnbs from product_skus k join products p on p.id = k.product_id order by 1`),
    ]).then((results) => results.map((r) => r.rows));
  t.deepEqual(await content(two.knex), await content(one.knex));
  t.deepEqual(
    parallel.map((r) => [r.rows, r.history]),
    serial.map((r) => [r.rows, r.history]),
  );
});
