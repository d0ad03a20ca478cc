import test from 'ava';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { importFile } from '../../src/import/import-file.js';
import { testDatabase, cliSandbox } from '../../src/testing/index.js';
import { ExitCode } from '../../src/errors.js';
import { OWN_PRICE_ROWS } from '../../src/prices/shared-rows.js';
import { snapshot } from './db-snapshot.js';
import { line, products, tempDir, writeScrape } from './scrape-fixtures.js';

/** Imports a good file first, so that "nothing changed" is checked against a populated database. */
async function seeded(t: import('ava').ExecutionContext) {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const first = await importFile(knex, writeScrape(dir, 'seed.jsonl', products(20)));
  t.is(first.mode, 'full');
  return { knex, dir, before: await snapshot(knex) };
}

const failureCases: Array<[string, (dir: string) => string, RegExp]> = [
  [
    'a truncated gzip file',
    (dir) => {
      const whole = gzipSync(products(50, { scraped_date: '2026-01-02' }).join('\n'));
      const file = `${dir}/cut.jsonl.gz`;
      fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
      return file;
    },
    /^cut\.jsonl\.gz is not a complete gzip file \(unexpected end of file\) after line \d+; re-download or re-scrape it\.$/,
  ],
  ['a line that is not JSON', (dir) => writeScrape(dir, 'bad.jsonl', [...products(3, { scraped_date: '2026-01-02' }), '{"product": {"sku": 1', ...products(2, { scraped_date: '2026-01-02' })]), /^bad\.jsonl line 4 is not JSON .*; fix the line, or import the rest with --skip-invalid\.$/],
  ['a line without a price', (dir) => writeScrape(dir, 'noprice.jsonl', [line({ sku: 'A', name: 'Rice 1kg', price_current: null as unknown as number }, { scraped_date: '2026-01-02' })]), /^noprice\.jsonl line 1 has price_current null, not a positive price below 100,000/],
  ['a line without a name', (dir) => writeScrape(dir, 'noname.jsonl', [...products(2, { scraped_date: '2026-01-02' }), line({ sku: 'A', name: '  ', price_current: 2 }, { scraped_date: '2026-01-02' })]), /^noname\.jsonl line 3 has no product name/],
  ['a negative price', (dir) => writeScrape(dir, 'negative.jsonl', [line({ sku: 'A', name: 'Rice', price_current: -2.5 }, { scraped_date: '2026-01-02' })]), /line 1 has price_current -2\.5, not a positive price/],
  ['an absurd price', (dir) => writeScrape(dir, 'absurd.jsonl', [line({ sku: 'A', name: 'Rice', price_current: 250000 }, { scraped_date: '2026-01-02' })]), /line 1 has price_current 250000, not a positive price below 100,000/],
  [
    'a file whose lines name two different stores',
    (dir) => writeScrape(dir, 'two-stores.jsonl', [...products(3, { scraped_date: '2026-01-02' }), line({ sku: 'Z', name: 'Other', price_current: 1 }, { store_id: 'G2', scraped_date: '2026-01-02' })]),
    /^two-stores\.jsonl line 4 names store aldi G2, but line 1 names aldi G1; a scrape file holds one store: split the file by store\.$/,
  ],
  [
    'a file spanning more than two days',
    (dir) => writeScrape(dir, 'days.jsonl', [...products(2, { scraped_date: '2026-01-02' }), line({ sku: 'Z', name: 'Late', price_current: 1 }, { scraped_date: '2026-01-04' })]),
    /^days\.jsonl line 3 is dated 2026-01-04, but line 1 is dated 2026-01-02; a scrape file holds one scrape \(at most two consecutive days\)/,
  ],
  ['an empty file', (dir) => writeScrape(dir, 'empty.jsonl.gz', []), /^empty\.jsonl\.gz has no records \(the file is empty\)/],
];

for (const [what, make, message] of failureCases) {
  test(`${what}: the file fails with a clear message and the database is exactly as before`, async (t) => {
    const { knex, dir, before } = await seeded(t);
    const file = make(dir);
    const bytes = fs.readFileSync(file);
    const report = await importFile(knex, file);
    t.is(report.mode, 'failed');
    t.regex(report.message ?? '', message);
    t.deepEqual(await snapshot(knex), before);
    t.deepEqual(fs.readFileSync(file), bytes, 'the file stays where it was, unchanged');
  });
}

test('a barcode with a wrong check digit is rejected and counted; the product is still imported', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const file = writeScrape(dir, 'iga.jsonl', [
    line({ sku: '1', name: 'Good Tea 100g', barcode: '9310631635078', price_current: 3 }, { company: 'IGA' }),
    line({ sku: '2', name: 'Bad Tea 100g', barcode: '9310631635079', price_current: 4 }, { company: 'IGA' }),
  ]);
  const report = await importFile(knex, file);
  t.is(report.mode, 'full');
  t.is(report.barcodesRejected, 1);
  t.deepEqual(await knex('products').orderBy('name').select('name', 'barcode'), [
    { name: 'Bad Tea 100g', barcode: null },
    { name: 'Good Tea 100g', barcode: '9310631635078' },
  ]);
  t.is((await knex('companies').select('name'))[0]?.name, 'iga', 'company names are stored lower-case');
});

test('a stale file is skipped, reported, left in place, and changes nothing', async (t) => {
  const { knex, dir, before } = await seeded(t);
  const file = writeScrape(dir, 'old.jsonl', products(20, { scraped_date: '2025-12-31' }, () => 9.99));
  const report = await importFile(knex, file);
  t.is(report.mode, 'stale');
  t.regex(report.message ?? '', /is dated 2025-12-31, not newer than the last import of aldi store G1 \(2026-01-01\); it was skipped and left in place \(import --backfill loads an older day into price history\)\./);
  t.deepEqual(await snapshot(knex), before);
  t.true(fs.existsSync(file));
});

test('a file with half of the store\'s products is a partial scrape: upsert only, nothing deleted', async (t) => {
  const { knex, dir } = await seeded(t);
  const half = writeScrape(dir, 'half.jsonl', products(10, { scraped_date: '2026-01-02' }, () => 5));
  const report = await importFile(knex, half);
  t.is(report.mode, 'upsert');
  t.like(report.rows, { inserted: 0, updated: 10, deleted: 0 });
  t.is((await knex('prices').count<{ n: string }[]>('* as n'))[0]?.n.toString(), '20');
});

test('a full scrape deletes the prices of products it no longer has, by product, and only for that store', async (t) => {
  const { knex, dir } = await seeded(t);
  await importFile(knex, writeScrape(dir, 'other-store.jsonl', products(20, { store_id: 'G2' })));
  const full = writeScrape(dir, 'full.jsonl', products(19, { scraped_date: '2026-01-02' }));
  const report = await importFile(knex, full);
  t.is(report.mode, 'full');
  t.like(report.rows, { inserted: 0, updated: 0, unchanged: 19, deleted: 1 });
  t.is(report.history, 0, 'unchanged prices write no history');
  const perStore = await knex('prices').join('stores', 'stores.id', 'prices.store_id').groupBy('stores.store_id').select('stores.store_id').count<{ store_id: string; count: string }[]>('* as count').orderBy('stores.store_id');
  t.deepEqual(perStore.map((r) => [r.store_id, Number(r.count)]), [['G1', 19], ['G2', 20]]);
  // Unchanged rows are not rewritten; they read as of the store's last full scrape.
  const dates = (await knex.raw(`select distinct to_char(p.scraped_date, 'YYYY-MM-DD') as d from ${OWN_PRICE_ROWS} p join stores s on s.id = p.store_id where s.store_id = 'G1'`)).rows;
  t.deepEqual(dates.map((r: { d: string }) => r.d), ['2026-01-02'], 'unchanged rows read as of the new scrape date');
});

test('--skip-invalid imports the rest and writes the rejects beside the file', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const file = writeScrape(dir, 'mixed.jsonl.gz', [...products(3), 'not json', line({ sku: 'X', name: 'Free', price_current: 0 })]);
  const report = await importFile(knex, file, { skipInvalid: true });
  t.is(report.mode, 'full');
  t.is(report.records, 3);
  t.is(report.rejects, 2);
  t.is(report.rejectsFile, `${dir}/mixed.rejects.jsonl`);
  const rejects = fs.readFileSync(`${dir}/mixed.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string; text: string });
  t.deepEqual(rejects.map((r) => r.line), [4, 5]);
  t.is(rejects[0]?.text, 'not json');
  t.regex(rejects[1]?.reason ?? '', /price_current 0/);
});

test('duplicate lines for one product keep the first', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const file = writeScrape(dir, 'dupes.jsonl', [line({ sku: 'A', name: 'Rice 1kg', price_current: 2 }), line({ sku: 'A', name: 'Rice 1kg', price_current: 3 }), line({ sku: 'B', name: 'Beans 400g', price_current: 1 })]);
  const report = await importFile(knex, file);
  t.is(report.duplicates, 1);
  t.deepEqual((await knex('prices').join('products', 'products.id', 'prices.product_id').orderBy('name').select('name', 'price')).map((r: { name: string; price: string }) => [r.name, Number(r.price)]), [
    ['Beans 400g', 1],
    ['Rice 1kg', 2],
  ]);
});

test('--dry-run reports the same counts as the real import and changes nothing', async (t) => {
  const { knex, dir, before } = await seeded(t);
  const file = writeScrape(dir, 'next.jsonl', products(25, { scraped_date: '2026-01-02' }, (i) => (i % 2 ? 7 : 1 + i / 100)));
  const dry = await importFile(knex, file, { dryRun: true });
  t.deepEqual(await snapshot(knex), before);
  const real = await importFile(knex, file);
  t.deepEqual({ ...dry, seconds: 0, dryRun: false }, { ...real, seconds: 0 });
  t.like(real.rows, { inserted: 5, updated: 10, unchanged: 10, deleted: 0 });
});

test('through the CLI: a failed file exits "input" with one line per file, the good files still import, --json reports each', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  writeScrape(dir, 'a-good.jsonl', products(5));
  writeScrape(dir, 'b-bad.jsonl', ['{oops']);
  const human = await cli.run(['import', dir]);
  t.is(human.code, ExitCode.input, human.stderr);
  t.regex(human.stdout, /^full {3}aldi G1 2026-01-01: \+5 ~0 =0 -0, history 5, 5 new product\(s\)/m);
  t.regex(human.stdout, /^failed b-bad\.jsonl line 1 is not JSON/m);
  t.regex(human.stdout, /Imported 1 of 2 file\(s\) \(0 stale, 1 failed\)/);
  const json = await cli.run(['import', dir, '--json']);
  t.is(json.code, ExitCode.input);
  const result = JSON.parse(json.stdout) as { files: Array<{ mode: string }>; totals: { stale: number; failed: number } };
  t.deepEqual(result.files.map((f) => f.mode), ['failed', 'stale'], 'an unreadable file sorts first');
  t.like(result.totals, { stale: 1, failed: 1 });
  const count = await cli.run(['prices', 'count', '--json']);
  t.like(JSON.parse(count.stdout), { stores: 1, breakdown: [{ details: { current: 5, exclusions: 0 } }] }, 'five current prices (history and exclusion marks are counted beside them)');
});

test('names with tabs, newlines, backslashes and quotes are stored exactly as scraped', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const names = ['Tab\there 100g', 'New\nline 200g', 'Back\\slash \\N 300g', 'Quote "it" \'s 400g', 'Unicode Nestlé 500g'];
  await importFile(knex, writeScrape(dir, 'odd.jsonl', names.map((name, i) => line({ sku: `S${i}`, name, brand: i === 2 ? '\\N' : 'B\tX', price_current: 1 + i }))));
  t.deepEqual((await knex('products').orderBy('name').select('name')).map((r: { name: string }) => r.name), [...names].sort());
  t.deepEqual((await knex('brand_spellings').orderBy('spelling').select('spelling')).map((r: { spelling: string }) => r.spelling), ['B\tX', '\\N'].sort());
});
