/**
 * Everything the database would refuse is caught by the line check first, with one sentence naming
 * the file and line, and the database stays exactly as it was; what is merely unusual in form (a
 * byte-order mark, CRLF line ends) is accepted.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { importFile } from '../../src/import/import-file.js';
import { testDatabase, cliSandbox } from '../../src/testing/index.js';
import { snapshot } from './db-snapshot.js';
import { line, products, tempDir, writeScrape } from './scrape-fixtures.js';

const D = { scraped_date: '2026-01-02' };

async function seeded(t: import('ava').ExecutionContext) {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  t.is((await importFile(knex, writeScrape(dir, 'seed.jsonl', products(5)))).mode, 'full');
  return { knex, dir, before: await snapshot(knex) };
}

const refused: Array<[string, string[], RegExp]> = [
  ['a NUL character in a name', [...products(2, D), line({ sku: 'N', name: 'Nul\u0000Rice 1kg', price_current: 2 }, D)], /^f\.jsonl line 3 has a NUL character in product\.name; fix the line/],
  ['a NUL character in a SKU', [line({ sku: 'A\u0000B', name: 'Rice 1kg', price_current: 2 }, D)], /^f\.jsonl line 1 has a NUL character in product\.sku/],
  ['a lone surrogate in a brand', [line({ sku: 'A', name: 'Rice 1kg', brand: 'X\ud800', price_current: 2 }, D)], /^f\.jsonl line 1 has a broken Unicode character \(a lone surrogate\) in product\.brand/],
  ['a name of 9,000 bytes (over an index entry)', [line({ sku: 'A', name: `Rice ${'x'.repeat(9000)}`, price_current: 2 }, D)], /^f\.jsonl line 1 has a product\.name of 9,005 bytes, longer than the 1,000 allowed/],
  ['a SKU of 3,000 bytes', [line({ sku: 'S'.repeat(3000), name: 'Rice', price_current: 2 }, D)], /line 1 has a product\.sku of 3,000 bytes, longer than the 200 allowed/],
  ['a category path 10,000 deep', [line({ sku: 'A', name: 'Rice', price_current: 2, category_path: Array.from({ length: 10_000 }, (_, i) => `c${i}`) }, D)], /line 1 has a category_path 10,000 levels deep, deeper than the 20 allowed/],
  ['a unit price of 1e20 per g', [line({ sku: 'A', name: 'Rice', price_current: 2, per_unit_price_string: '$100000000000000000000/1g' }, D)], /line 1 has a unit price of 1\.00e\+23 per kg, beyond the 1e\+10 a unit price may be/],
  ['scraped_date 2025-02-30', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: '2025-02-30' })], /^f\.jsonl line 1 has scraped_date 2025-02-30, a day that does not exist/],
  ['scraped_date 0000-01-01', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: '0000-01-01' })], /line 1 has scraped_date 0000-01-01, before 2000-01-01/],
  ['a file dated 2099-01-01', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: '2099-01-01' })], /^f\.jsonl line 1 has scraped_date 2099-01-01, more than a day ahead of the clock \(import it with --allow-future-dates if that is right\)/],
  ['a price of 1e999', [line({ sku: 'A', name: 'Rice', price_current: 1 }, D).replace('"price_current":1', '"price_current":1e999')], /^f\.jsonl line 1 has price_current a number too large to hold, not a positive price below 100,000/],
];

for (const [what, lines, message] of refused) {
  test(`${what} is refused by the line check with one sentence, and nothing changes`, async (t) => {
    const { knex, dir, before } = await seeded(t);
    const report = await importFile(knex, writeScrape(dir, 'f.jsonl', lines));
    t.is(report.mode, 'failed');
    t.regex(report.message ?? '', message);
    t.false(/\n/.test(report.message ?? ''), 'one sentence');
    t.deepEqual(await snapshot(knex), before);
  });
}

test('a unit price of 1e20 per g no longer rounds to 0: the money rounding keeps large values', async (t) => {
  const { toDollars } = await import('../../src/normalise/index.js');
  t.is(toDollars(1e20, 'dollars'), 1e20);
});

test('a future-dated file is imported when the user accepts it', async (t) => {
  const { knex, dir } = await seeded(t);
  const report = await importFile(knex, writeScrape(dir, 'f.jsonl', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: '2099-01-01' })]), { allowFutureDates: true });
  t.is(report.mode, 'upsert');
});

test('a date up to a day ahead of the clock is accepted (a scrape in a later time zone)', async (t) => {
  const { knex, dir } = await seeded(t);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const report = await importFile(knex, writeScrape(dir, 'f.jsonl', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: tomorrow })]));
  t.is(report.mode, 'upsert', report.message);
});

test('a byte-order mark and CRLF line ends are accepted', async (t) => {
  const { knex, dir } = await seeded(t);
  const file = path.join(dir, 'bom.jsonl');
  fs.writeFileSync(file, '\uFEFF' + products(3, D).join('\r\n') + '\r\n');
  const report = await importFile(knex, file);
  t.is(report.mode, 'upsert', report.message);
  t.is(report.records, 3);
});

function latin1File(dir: string): string {
  const file = path.join(dir, 'latin1.jsonl');
  const good = Buffer.from(products(2, D).join('\n') + '\n');
  const bad = Buffer.from(line({ sku: 'CAFE', name: 'Caf_ Beans 1kg', price_current: 9 }, D) + '\n');
  bad[bad.indexOf('Caf_') + 3] = 0xe9; // "é" in Latin-1: not UTF-8
  fs.writeFileSync(file, Buffer.concat([good, bad]));
  return file;
}

test('invalid UTF-8 is refused with its line; with replaceInvalidUtf8 the bytes become U+FFFD and the report warns', async (t) => {
  const { knex, dir, before } = await seeded(t);
  const file = latin1File(dir);
  const refusedReport = await importFile(knex, file);
  t.is(refusedReport.mode, 'failed');
  t.is(refusedReport.message, 'latin1.jsonl line 3 is not valid UTF-8; save the file as UTF-8, or import it with --replace-invalid-utf8 to replace such bytes with U+FFFD.');
  t.deepEqual(await snapshot(knex), before);

  const replaced = await importFile(knex, file, { replaceInvalidUtf8: true });
  t.is(replaced.mode, 'upsert', 'imported (a partial scrape of the seeded store)');
  t.deepEqual(replaced.warnings, ['latin1.jsonl: bytes that are not UTF-8 were replaced with U+FFFD, from line 3 on.']);
  t.is((await knex('products').where('name', 'Caf\uFFFD Beans 1kg').first())?.name, 'Caf\uFFFD Beans 1kg');
});

test('invalid UTF-8 inside a gzip file is refused with its line too', async (t) => {
  const { knex, dir } = await seeded(t);
  const plain = fs.readFileSync(latin1File(dir));
  const file = path.join(dir, 'latin1.jsonl.gz');
  fs.writeFileSync(file, (await import('node:zlib')).gzipSync(plain));
  const report = await importFile(knex, file);
  t.regex(report.message ?? '', /^latin1\.jsonl\.gz line 3 is not valid UTF-8/);
});

test('through the CLI: a future-dated file exits 3 with its line; --allow-future-dates imports it', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  const file = writeScrape(dir, 'future.jsonl', [line({ sku: 'A', name: 'Rice', price_current: 2 }, { scraped_date: '2099-01-01' })]);
  const refusedRun = await cli.run(['import', file]);
  t.is(refusedRun.code, 3);
  t.regex(refusedRun.stdout + refusedRun.stderr, /future\.jsonl line 1 has scraped_date 2099-01-01, more than a day ahead of the clock/);
  const accepted = await cli.run(['import', file, '--allow-future-dates']);
  t.is(accepted.code, 0, accepted.stderr);
});

test('a FIFO among the scrape files is skipped with a warning instead of hanging the import', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  writeScrape(dir, 'good.jsonl', products(3, D));
  execFileSync('mkfifo', [path.join(dir, 'x.jsonl')]);
  const run = await cli.run(['import', dir]);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stderr, /x\.jsonl is not a regular file \(a FIFO, socket or device\); it was skipped\./);
});
