import test from 'ava';
import fs from 'node:fs';
import { importFile } from '../../src/import/import-file.js';
import { scrapeLines } from '../../src/import/scrape-lines.js';
import { testDatabase } from '../../src/testing/index.js';
import { snapshot } from './db-snapshot.js';
import { REAL } from './scrape-fixtures.js';

const ALDI_19 = ['albion-park-g501', 'blair-athol-g457', 'cowra-g439', 'edgecliff-g467'].map((s) => `${REAL}aldi/aldi-${s}-2025-09-19.jsonl.gz`);
const G147 = ['09', '12', '22'].map((d) => `${REAL}aldi/aldi-aldi-store-g147-g147-2025-09-${d}.jsonl.gz`);
const IGA = [`${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`, `${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`];

const count = async (knex: import('knex').Knex, table: string) => Number((await knex(table).count<{ n: string }[]>('* as n'))[0]!.n);

interface PricePoint {
  price: number;
  was: number | null;
  special: boolean;
}

/** The first record per SKU of a real file, read independently of the importer. */
async function pricesBySku(file: string): Promise<Map<string, PricePoint>> {
  const bySku = new Map<string, PricePoint>();
  for await (const { text } of scrapeLines(file)) {
    const { product } = JSON.parse(text) as { product: { sku: string; price_current: number; price_was: number | null; is_on_special: boolean } };
    if (!bySku.has(String(product.sku))) bySku.set(String(product.sku), { price: product.price_current, was: product.price_was ?? null, special: product.is_on_special === true });
  }
  return bySku;
}

const same = (a: PricePoint | undefined, b: PricePoint) => a !== undefined && a.price === b.price && a.was === b.was && a.special === b.special;

test('the four real Aldi stores of 2025-09-19 share one catalogue of ~2,800 products, not four copies', async (t) => {
  const { knex } = await testDatabase(t);
  const reports = [];
  for (const file of ALDI_19) reports.push(await importFile(knex, file));
  t.deepEqual(reports.map((r) => r.mode), ['full', 'full', 'full', 'full']);
  const products = await count(knex, 'products');
  const perFile = reports.map((r) => r.records - r.duplicates);
  t.true(products >= 2_700 && products <= 3_000, `${products} products`);
  t.true(products < perFile.reduce((a, b) => a + b, 0) / 2, 'shared, not copied');
  t.true(reports.slice(1).every((r) => r.newProducts < 200), `later stores add few products: ${reports.map((r) => r.newProducts).join(', ')}`);
  t.is(await count(knex, 'prices'), perFile.reduce((a, b) => a + b, 0));
  t.is(await count(knex, 'stores'), 4);
  t.is(await count(knex, 'companies'), 1);
  const categories = await knex('categories').whereNull('parent_id').count<{ n: string }[]>('* as n');
  t.true(Number(categories[0]!.n) > 5, 'root categories');
  const uncategorised = Number((await knex.raw(`select count(*)::int as n from products p where not exists (select 1 from product_categories c where c.product_id = p.id)`)).rows[0].n);
  t.true(uncategorised <= 4, `${uncategorised} products without a category: only the 4 records that have no category_path may lack one`);
});

test('one real store on three dates: history only for changed prices; re-import and an older file change nothing', async (t) => {
  const { knex } = await testDatabase(t);
  const [d09, d12, d22] = await Promise.all(G147.map(pricesBySku));
  const first = await importFile(knex, G147[0]!);
  t.is(first.mode, 'full');
  t.is(first.history, d09!.size, 'the first import records every price once');

  const second = await importFile(knex, G147[1]!);
  const changed12 = [...d12!].filter(([sku, p]) => !same(d09!.get(sku), p)).length;
  t.is(second.mode, 'full');
  t.is(second.history, changed12, 'only changed (or new) prices');
  t.true(changed12 < d12!.size / 2, `${changed12} of ${d12!.size} changed`);

  const third = await importFile(knex, G147[2]!);
  // A product dropped on the 12th and back on the 22nd compares with its last history row (from the 9th).
  const expected22 = [...d22!].filter(([sku, p]) => !same(d12!.get(sku) ?? d09!.get(sku), p)).length;
  t.is(third.history, expected22);
  t.is(await count(knex, 'price_history'), d09!.size + changed12 + expected22);

  const settled = await snapshot(knex);
  const again = await importFile(knex, G147[2]!);
  t.is(again.mode, 'stale');
  const older = await importFile(knex, G147[0]!);
  t.is(older.mode, 'stale');
  t.regex(older.message ?? '', /dated 2025-09-09, not newer than the last import of aldi store G147 \(2025-09-22\)/);
  t.deepEqual(await snapshot(knex), settled);
});

test('the two real IGA stores link products to barcodes; a barcode seen in both files is one product', async (t) => {
  const { knex } = await testDatabase(t);
  for (const file of IGA) t.is((await importFile(knex, file)).mode, 'full');
  const dates = await knex('stores').orderBy('store_id').select(knex.raw(`store_id, to_char(last_scraped_date, 'YYYY-MM-DD') as d`));
  t.deepEqual(dates.map((r: { d: string }) => r.d), ['2025-09-18', '2025-09-19'], 'a scrape that ran past midnight is dated by its first day');
  const withBarcode = Number((await knex('products').whereNotNull('barcode').count<{ n: string }[]>('* as n'))[0]!.n);
  const all = await count(knex, 'products');
  t.true(withBarcode > all / 2, `${withBarcode} of ${all} products have a barcode`);
  const shared = await knex.raw<{ rows: Array<{ n: number }> }>(
    `select count(*)::int as n from (select product_id from prices group by product_id having count(distinct store_id) = 2) x
     join products p on p.id = x.product_id where p.barcode is not null`,
  );
  t.true(shared.rows[0]!.n > 500, `${shared.rows[0]!.n} barcoded products priced at both stores`);
  const barcodes = await knex.raw<{ rows: Array<{ n: number; distinct_barcodes: number }> }>(`select count(*)::int as n, count(distinct barcode)::int as distinct_barcodes from products where barcode is not null`);
  t.is(barcodes.rows[0]!.n, barcodes.rows[0]!.distinct_barcodes, 'one product per barcode');
  t.true(fs.existsSync(IGA[0]!), 'source files are never moved');
});

test('the 2026 Aldi catalogue has no store_id: refused without --store-id, imported with it', async (t) => {
  const { knex } = await testDatabase(t);
  const file = `${REAL}aldi/aldi-catalogue-2026-06-29.jsonl.gz`;
  const refused = await importFile(knex, file);
  t.is(refused.mode, 'failed');
  t.regex(refused.message ?? '', /line 1 has no metadata\.store_id \(give one with --store-id\)/);
  const imported = await importFile(knex, file, { storeId: 'CATALOGUE' });
  t.is(imported.mode, 'full');
  t.true(imported.records > 2_500);
});
