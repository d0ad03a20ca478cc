import test from 'ava';
import { importFiles } from '../../src/import/import-files.js';
import { testDatabase } from '../../src/testing/index.js';
import { content } from './db-snapshot.js';
import { orderByScrapedDate } from '../../src/import/file-order.js';
import { line, REAL, tempDir, writeScrape } from './scrape-fixtures.js';

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
  const ordered = await orderByScrapedDate(files);

  const one = await testDatabase(t);
  const serial = await importFiles(one.knex, ordered, { jobs: 1, batchRows: 1 });
  t.deepEqual(serial.map((r) => r.mode), Array(9).fill('full'));

  const two = await testDatabase(t);
  const seen: string[] = [];
  const parallel = await importFiles(two.knex, ordered, { jobs: 3, onFile: (r) => seen.push(`${r.store}@${r.scrapedDate}`) });
  t.deepEqual(parallel.map((r) => r.mode), Array(9).fill('full'), 'no file was stale: each store went day by day');
  for (const store of ['G1', 'G2', 'G3']) {
    const days = seen.filter((s) => s.startsWith(`${store}@`));
    t.deepEqual(days, [...days].sort(), `${store} in date order`);
  }
  t.deepEqual(await content(two.knex), await content(one.knex));
  t.deepEqual(
    parallel.map((r) => [r.rows, r.history]),
    serial.map((r) => [r.rows, r.history]),
  );
});

test('batches of many files give the same database and the same reports as one file at a time, on every real file', async (t) => {
  const fs = await import('node:fs');
  const files = await orderByScrapedDate(
    ['aldi', 'iga'].flatMap((company) =>
      fs
        .readdirSync(`${REAL}${company}`)
        .filter((f) => !f.includes('catalogue'))
        .map((f) => `${REAL}${company}/${f}`),
    ),
  );
  const oneByOne = await testDatabase(t);
  const single = await importFiles(oneByOne.knex, files, { batchRows: 1 });
  const batched = await testDatabase(t);
  const seen: number[] = [];
  const together = await importFiles(batched.knex, files, { onFile: () => seen.push(seen.length) });
  t.is(seen.length, files.length);
  // How a file was read (whether its store's digest stood for its unchanged lines) depends on
  // whether the file was read before or after its store's earlier file of the run was written; what
  // it did to the database may not.
  const what = ({ seconds: _s, unchangedInDigest: _u, unparsedInDigest: _p, ...r }: (typeof single)[number]) => r;
  t.deepEqual(together.map(what), single.map(what));
  t.true(single.filter((r) => r.mode === 'full').length >= 8, 'the files were imported, not skipped');
  t.deepEqual(await content(batched.knex), await content(oneByOne.knex));
});

// A barcode links a product across companies; within one company the SKU does (a barcode on a
// line whose SKU the company uses for another product is a conflict, see identity.test).
test('in one batch, a product named differently by two stores but sharing a barcode (two companies) or SKU (one company) is one product, as one file after another gives', async (t) => {
  const dir = tempDir(t);
  const files = [
    writeScrape(dir, 'a.jsonl', [line({ sku: 'S1', name: 'Crunchy Oats 500g', price_current: 4, barcode: '9300633603922' }, { store_id: 'A' }), line({ sku: 'S2', name: 'Milk 2L', price_current: 3 }, { store_id: 'A' })]),
    writeScrape(dir, 'b.jsonl', [line({ sku: 'X9', name: 'Oats Crunchy Clusters 500g', price_current: 4, barcode: '9300633603922' }, { company: 'coles', store_id: 'B' })]),
    writeScrape(dir, 'c.jsonl', [line({ sku: 'S2', name: 'Full Cream Milk 2L', price_current: 3 }, { store_id: 'C' })]),
  ];
  const oneByOne = await testDatabase(t);
  await importFiles(oneByOne.knex, files, { batchRows: 1 });
  const batched = await testDatabase(t);
  const reports = await importFiles(batched.knex, files);
  t.deepEqual(reports.map((r) => r.newProducts), [2, 0, 0]);
  t.is(Number((await batched.knex.raw('select count(*)::int as n from products')).rows[0].n), 2);
  t.deepEqual(await content(batched.knex), await content(oneByOne.knex));
});

test('a run reads each file\'s first line once: ordering by date keeps them, and the look-up of imported files takes them from there', async (t) => {
  const fs = await import('node:fs');
  const { gunzipSync } = await import('node:zlib');
  /** First lines, counting how many the import took from it. */
  class Counted extends Map<string, { lineNo: number; text: string } | undefined> {
    taken = 0;
    override get(key: string) {
      this.taken++;
      return super.get(key);
    }
  }
  const dir = tempDir(t);
  const files = scrapes(dir);
  const firstLines = new Counted();
  const ordered = await orderByScrapedDate(files, firstLines);
  t.is(firstLines.size, files.length);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n')[0];
    t.is(firstLines.get(file)?.text, text, file);
  }
  const db = await testDatabase(t);
  firstLines.taken = 0;
  t.deepEqual((await importFiles(db.knex, ordered, { firstLines })).map((r) => r.mode), Array(9).fill('full'));
  t.is(firstLines.taken, files.length, 'every first line came from the map');
  // A second run over the same files: the ledger knows them all from the lines kept while ordering.
  const again = new Counted();
  const reordered = await orderByScrapedDate(files, again);
  again.taken = 0;
  t.deepEqual((await importFiles(db.knex, reordered, { firstLines: again })).map((r) => r.mode), Array(9).fill('stale'));
  t.is(again.taken, files.length);
});
