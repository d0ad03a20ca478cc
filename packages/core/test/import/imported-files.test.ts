import fs from 'node:fs';
import test from 'ava';
import { importFiles } from '../../src/import/import-files.js';
import { testDatabase } from '../../src/testing/index.js';
import { snapshot } from './db-snapshot.js';
import { line, products, tempDir, writeScrape } from './scrape-fixtures.js';

/** Rewrites the last line of `file` as a line that is not JSON, keeping the file's size. */
function breakLastLineKeepingSize(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const last = text.lastIndexOf('\n', text.length - 2) + 1;
  fs.writeFileSync(file, `${text.slice(0, last)}X${text.slice(last + 1)}`);
  if (fs.statSync(file).size !== Buffer.byteLength(text)) throw new Error('the size changed');
}

test('a file already imported is known by its first line and size and skipped unread; a file whose size changed is read again', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const g1 = writeScrape(dir, 'g1.jsonl.gz', products(30, { store_id: 'G1' }));
  const g2 = writeScrape(dir, 'g2.jsonl', products(25, { store_id: 'G2' }));

  const first = await importFiles(knex, [g1, g2]);
  t.deepEqual(first.map((r) => r.mode), ['full', 'full']);
  const ledger = await knex('imported_files as f').join('stores as s', 's.id', 'f.store_id').orderBy('s.store_id').select('s.store_id', knex.raw(`to_char(f.scraped_date, 'YYYY-MM-DD') as date`), 'f.file_name', 'f.bytes', 'f.records');
  t.deepEqual(
    ledger.map((r: { store_id: string; date: string; file_name: string; bytes: number | string; records: number }) => [r.store_id, r.date, r.file_name, Number(r.bytes), r.records]),
    [
      ['G1', '2026-01-01', 'g1.jsonl.gz', fs.statSync(g1).size, 30],
      ['G2', '2026-01-01', 'g2.jsonl', fs.statSync(g2).size, 25],
    ],
  );
  const settled = await snapshot(knex);

  // Same first line, same size, a line that would fail a read: only a file read again would see it.
  breakLastLineKeepingSize(g2);
  const again = await importFiles(knex, [g1, g2]);
  t.deepEqual(again.map((r) => r.mode), ['stale', 'stale']);
  t.deepEqual(again.map((r) => r.records), [30, 25], 'the record counts come from the ledger');
  t.regex(again[1]!.message ?? '', /g2\.jsonl is dated 2026-01-01, not newer than the last import of aldi store G2 \(2026-01-01\); it was skipped and left in place \(import --backfill loads an older day into price history\)\./);
  t.deepEqual(await snapshot(knex), settled, 'nothing written');

  // Another size for the same store and day: read whole, so its bad line is found.
  fs.appendFileSync(g2, `${line({ sku: 'P99', name: 'Product 99 500g', price_current: 2 }, { store_id: 'G2' })}\n`);
  const changed = await importFiles(knex, [g2]);
  t.is(changed[0]!.mode, 'failed');
  t.regex(changed[0]!.message ?? '', /g2\.jsonl line 25 is not JSON/);
  t.deepEqual(await snapshot(knex), settled);
  t.true(fs.existsSync(g1) && fs.existsSync(g2), 'files stay where they are');
});

test('an older day that was never imported is read and reported stale with its own records; a dry run records no file', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const newer = writeScrape(dir, 'g1-02.jsonl', products(10, { scraped_date: '2026-01-02' }));
  const older = writeScrape(dir, 'g1-01.jsonl', products(12, { scraped_date: '2026-01-01' }));

  const dry = await importFiles(knex, [newer], { dryRun: true });
  t.is(dry[0]!.mode, 'full');
  t.is((await knex('imported_files').count<{ n: string }[]>('* as n'))[0]!.n.toString(), '0', 'a dry run keeps nothing');

  t.is((await importFiles(knex, [newer]))[0]!.mode, 'full');
  const [report] = await importFiles(knex, [older]);
  t.is(report!.mode, 'stale');
  t.is(report!.records, 12, 'read: the ledger has no file of that day');
  t.is((await knex('imported_files').count<{ n: string }[]>('* as n'))[0]!.n.toString(), '1', 'a stale file is not recorded');
});

test('a partial file of a day, then the complete file of the same day (a rerun that finished it): the complete one is imported, not skipped as stale; the same complete file again, or a partial one after it, is stale', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const day = { scraped_date: '2026-01-02' };
  t.is((await importFiles(knex, [writeScrape(dir, 'g1-01.jsonl', products(20, { scraped_date: '2026-01-01' }, () => 1))]))[0]!.mode, 'full');
  const partial = writeScrape(dir, 'g1-02-partial.jsonl', products(8, { ...day, partial: true, failed_categories: ['Rice'] }, () => 2));
  t.is((await importFiles(knex, [partial]))[0]!.mode, 'upsert');
  // The complete scrape of the day: P0..P18 (P19 gone), at 3.00.
  const complete = writeScrape(dir, 'g1-02.jsonl', products(19, day, () => 3));
  const [report] = await importFiles(knex, [complete]);
  t.is(report!.mode, 'full', report!.message);
  t.like(report!.rows, { updated: 19, deleted: 1 });
  const prices = ((await knex('prices').select(knex.raw('price::float as p'))) as Array<{ p: number }>).map((r) => r.p);
  t.deepEqual([...new Set(prices)], [3]);
  t.is(prices.length, 19);
  const history = ((await knex('price_history').where({ scraped_date: '2026-01-02' }).whereNotNull('price').select(knex.raw('price::float as p'))) as Array<{ p: number }>).map((r) => r.p);
  t.deepEqual([...new Set(history)], [3], "the day's history rows say the complete file's price, not the partial one's");
  t.is((await importFiles(knex, [complete]))[0]!.mode, 'stale', 'the same file again');
  t.is((await importFiles(knex, [writeScrape(dir, 'late-partial.jsonl', products(4, { ...day, partial: true }, () => 9))]))[0]!.mode, 'stale', 'a partial file never replaces a day');
});
