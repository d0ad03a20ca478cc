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

/** What the files say, read independently of the importer: SKUs, barcodes, root categories, lines without a category. */
async function fileFacts(file: string): Promise<{ skus: Set<string>; barcodes: Set<string>; roots: Set<string>; uncategorised: number; lines: number }> {
  const facts = { skus: new Set<string>(), barcodes: new Set<string>(), roots: new Set<string>(), uncategorised: 0, lines: 0 };
  for await (const { text } of scrapeLines(file)) {
    const { product } = JSON.parse(text) as { product: { sku: string; barcode: string | null; category_path?: string[] | null } };
    facts.lines++;
    facts.skus.add(String(product.sku));
    if (product.barcode) facts.barcodes.add(product.barcode);
    if (product.category_path?.length) facts.roots.add(product.category_path[0]!);
    else facts.uncategorised++;
  }
  return facts;
}

const same = (a: PricePoint | undefined, b: PricePoint) => a !== undefined && a.price === b.price && a.was === b.was && a.special === b.special;

test('the four real Aldi stores of 2025-09-19 share one catalogue, not four copies', async (t) => {
  const { knex } = await testDatabase(t);
  const facts = await Promise.all(ALDI_19.map(fileFacts));
  const reports = [];
  for (const file of ALDI_19) reports.push(await importFile(knex, file));
  t.deepEqual(reports.map((r) => r.mode), ['full', 'full', 'full', 'full']);
  const products = await count(knex, 'products');
  const perFile = reports.map((r) => r.records - r.duplicates);
  // Aldi's SKUs are national: one product per SKU across the four files, each later file adding only SKUs not seen before.
  const seen = new Set<string>();
  const newSkus = facts.map((f) => {
    const fresh = [...f.skus].filter((sku) => !seen.has(sku));
    for (const sku of fresh) seen.add(sku);
    return fresh.length;
  });
  t.is(products, seen.size, `${products} products for ${seen.size} SKUs`);
  t.true(products < perFile.reduce((a, b) => a + b, 0) / 2, 'shared, not copied');
  t.deepEqual(reports.map((r) => r.newProducts), newSkus, 'later stores add only the products the earlier ones lacked');
  t.is(await count(knex, 'prices'), perFile.reduce((a, b) => a + b, 0));
  t.is(await count(knex, 'stores'), 4);
  t.is(await count(knex, 'companies'), 1);
  const categories = await knex('categories').whereNull('parent_id').count<{ n: string }[]>('* as n');
  t.is(Number(categories[0]!.n), new Set(facts.flatMap((f) => [...f.roots])).size, 'one root category per first element of category_path');
  const uncategorised = Number((await knex.raw(`select count(*)::int as n from products p where not exists (select 1 from product_categories c where c.product_id = p.id)`)).rows[0].n);
  const withoutPath = facts.reduce((n, f) => n + f.uncategorised, 0);
  t.true(uncategorised <= withoutPath, `${uncategorised} products without a category: only the ${withoutPath} records that have no category_path may lack one`);
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
  const [north, wattle] = await Promise.all(IGA.map(fileFacts));
  const withBarcode = Number((await knex('products').whereNotNull('barcode').count<{ n: string }[]>('* as n'))[0]!.n);
  const all = await count(knex, 'products');
  t.is(withBarcode, new Set([...north!.barcodes, ...wattle!.barcodes]).size, `${withBarcode} of ${all} products have a barcode: one per barcode in the files`);
  t.is(all, new Set([...north!.skus, ...wattle!.skus]).size, 'one product per SKU of the chain');
  const shared = await knex.raw<{ rows: Array<{ n: number }> }>(
    `select count(*)::int as n from (select product_id from prices group by product_id having count(distinct store_id) = 2) x
     join products p on p.id = x.product_id where p.barcode is not null`,
  );
  const inBoth = [...north!.barcodes].filter((b) => wattle!.barcodes.has(b)).length;
  t.true(inBoth > 20, `${inBoth} barcodes in both files`);
  t.is(shared.rows[0]!.n, inBoth, `${shared.rows[0]!.n} barcoded products priced at both stores`);
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
  t.is(imported.records, (await fileFacts(file)).lines);
});
