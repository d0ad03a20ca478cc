import test from 'ava';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import { priceHistory } from '../../src/prices/price-history.js';
import { cliSandbox, testDatabase } from '../../src/testing/index.js';
import { ExitCode } from '../../src/errors.js';
import { snapshot } from './db-snapshot.js';
import { line, products, tempDir, writeScrape } from './scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** P0's history at store G1, as `date price` strings. */
async function historyOfP0(knex: Knex): Promise<string[]> {
  const { product_id: product } = (await knex.raw(`select product_id from product_skus where sku = 'P0'`)).rows[0] as { product_id: number };
  return (await priceHistory(knex, Number(product))).map((c) => `${c.date} ${c.price}${c.isOnSpecial ? ' special' : ''}`);
}

const day = (date: string, price0: number) => products(5, { scraped_date: date }, (i) => (i === 0 ? price0 : 1 + i / 100));

test('a backfilled day between two imports: its change, and the old price coming back the next day', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  await importFiles(knex, [writeScrape(dir, 'd1.jsonl', day('2026-01-01', 1)), writeScrape(dir, 'd3.jsonl', day('2026-01-03', 1))]);
  t.deepEqual(await historyOfP0(knex), ['2026-01-01 1.00']);
  const before = await snapshot(knex, ['prices', 'stores']);
  const [report] = await importFiles(knex, [writeScrape(dir, 'd2.jsonl', day('2026-01-02', 2))], { backfill: true });
  t.like(report, { mode: 'backfill', scrapedDate: '2026-01-02', history: 1, records: 5, rows: { inserted: 0, updated: 0, unchanged: 0, deleted: 0 } });
  t.deepEqual(await historyOfP0(knex), ['2026-01-01 1.00', '2026-01-02 2.00', '2026-01-03 1.00']);
  t.deepEqual(await snapshot(knex, ['prices', 'stores']), before, 'current prices and the store row are untouched');
});

test("a backfilled day before the store's first import: the first event moves to it, the next repeats nothing", async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  await importFiles(knex, [writeScrape(dir, 'd2.jsonl', day('2026-01-02', 3)), writeScrape(dir, 'd3.jsonl', day('2026-01-03', 4))]);
  await importFiles(knex, [writeScrape(dir, 'd1.jsonl', day('2026-01-01', 3))], { backfill: true });
  t.deepEqual(await historyOfP0(knex), ['2026-01-01 3.00', '2026-01-03 4.00']);
});

test("a backfilled day adds what is new to the catalogue but never moves a product back to its older category", async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const withCategory = (date: string, category: string[], extra: string[] = []) =>
    [line({ sku: 'P0', name: 'Product 0 1kg', price_current: 1, category_path: category }, { scraped_date: date }), ...extra];
  await importFiles(knex, [writeScrape(dir, 'd3.jsonl', withCategory('2026-01-03', ['Pantry', 'Rice & Grains']))]);
  const older = withCategory('2026-01-01', ['Pantry', 'Rice'], [line({ sku: 'OLD', name: 'Retired product 1kg', price_current: 2, category_path: ['Pantry', 'Noodles'] }, { scraped_date: '2026-01-01' })]);
  const [report] = await importFiles(knex, [writeScrape(dir, 'd1.jsonl', older)], { backfill: true });
  t.like(report, { mode: 'backfill', newProducts: 1 });
  const links = (await knex.raw(`select k.sku, c.path from product_categories pc join categories c on c.id = pc.category_id join product_skus k on k.product_id = pc.product_id order by k.sku`)).rows;
  t.deepEqual(links, [
    { sku: 'OLD', path: 'Pantry > Noodles' },
    { sku: 'P0', path: 'Pantry > Rice & Grains' },
  ]);
});

test('without --backfill an older day is stale and its sentence names --backfill; a day already imported is stale under --backfill too, and writes nothing', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const d1 = writeScrape(dir, 'd1.jsonl', day('2026-01-01', 1));
  await importFiles(knex, [d1, writeScrape(dir, 'd3.jsonl', day('2026-01-03', 1))]);
  const d2 = writeScrape(dir, 'd2.jsonl', day('2026-01-02', 2));
  const [plain] = await importFiles(knex, [d2]);
  t.is(plain!.mode, 'stale');
  t.regex(plain!.message ?? '', /not newer than the last import of aldi store G1 \(2026-01-03\); it was skipped and left in place \(import --backfill loads an older day into price history\)\.$/);
  await importFiles(knex, [d2], { backfill: true });
  const before = await snapshot(knex);
  // The same file (known to the ledger), and another file of a day already imported.
  for (const file of [d2, writeScrape(dir, 'd1-again.jsonl', day('2026-01-01', 7).concat(line({ sku: 'X', name: 'Extra 1kg', price_current: 2 }, { scraped_date: '2026-01-01' })))]) {
    const [again] = await importFiles(knex, [file], { backfill: true });
    t.is(again!.mode, 'stale');
    t.regex(again!.message ?? '', /a day of aldi store G1 already imported; it was skipped and left in place \(a backfill loads only days never imported\)\.$/);
  }
  t.deepEqual(await snapshot(knex), before);
});

test(`import --backfill on the command line: --dry-run and --json report it and change nothing, a bad file exits 3 naming its line (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = tempDir(t);
  let run = await cli.run(['import', writeScrape(dir, 'd1.jsonl', day('2026-01-01', 1)), writeScrape(dir, 'd3.jsonl', day('2026-01-03', 1)), '--json']);
  t.is(run.code, ExitCode.ok, run.stderr);
  const d2 = writeScrape(dir, 'd2.jsonl', day('2026-01-02', 2));
  const history = async () => {
    const read = await cli.run(['prices', 'history', 'aldi:P0', '--json']);
    t.is(read.code, ExitCode.ok, read.stderr);
    return (JSON.parse(read.stdout) as { changes: Array<{ date: string; price: string }> }).changes.map((c) => `${c.date} ${c.price}`);
  };
  run = await cli.run(['import', d2, '--backfill', '--dry-run', '--json']);
  t.is(run.code, ExitCode.ok, run.stderr);
  const dry = JSON.parse(run.stdout) as { dryRun: boolean; files: Array<{ mode: string; history: number }>; totals: { imported: number; backfilled: number; stale: number } };
  t.like(dry, { dryRun: true, totals: { imported: 1, backfilled: 1, stale: 0 } });
  t.like(dry.files[0], { mode: 'backfill', history: 1 });
  t.deepEqual(await history(), ['2026-01-01 1.00']);

  run = await cli.run(['import', d2, '--backfill']);
  t.is(run.code, ExitCode.ok, run.stderr);
  t.regex(run.stdout, /^backfill aldi G1 2026-01-02: history 1, current prices untouched/m);
  t.regex(run.stdout, /Imported 1 of 1 file\(s\) \(1 into history only, 0 stale, 0 failed\)/);
  t.deepEqual(await history(), ['2026-01-01 1.00', '2026-01-02 2.00', '2026-01-03 1.00']);
  const shown = await cli.run(['prices', 'show', 'aldi:P0', '--json']);
  t.regex(shown.stdout, /"price": "1\.00"/, 'the current price is the last import\'s');

  const bad = writeScrape(dir, 'bad.jsonl', [...day('2025-12-31', 5).slice(0, 2), '{"product": {"sku": 1']);
  run = await cli.run(['import', bad, '--backfill']);
  t.is(run.code, ExitCode.input);
  t.regex(run.stderr, /bad\.jsonl line 3 is not JSON .*; fix the line, or import the rest with --skip-invalid\./);
  t.deepEqual(await history(), ['2026-01-01 1.00', '2026-01-02 2.00', '2026-01-03 1.00']);
});
