/**
 * Product identity: every product has a key, a barcode never moves one product's price onto
 * another, and the catalogue does not depend on how files were batched.
 */
import test from 'ava';
import fc from 'fast-check';
import { importFile } from '../../src/import/import-file.js';
import { importFiles } from '../../src/import/import-files.js';
import { productKey } from '../../src/normalise/index.js';
import { testDatabase } from '../../src/testing/index.js';
import { content } from './db-snapshot.js';
import { line, tempDir, writeScrape } from './scrape-fixtures.js';

test('the product key keeps letters of any script and falls back to the SKU, never empty', (t) => {
  t.is(productKey('香蕉', null, []), '香蕉');
  t.not(productKey('香蕉 1kg', null, ['1kg']), productKey('苹果 1kg', null, ['1kg']));
  t.is(productKey('Nestlé Milo 1kg', null, ['1kg']), 'milo nestle 1kg'.split(' ').sort().join(' '), 'accents still fold to ASCII');
  t.is(productKey('!!!', null, [], { company: 'aldi', sku: '42' }), '#aldi 42');
  t.not(productKey('!!!', null, [], { company: 'aldi', sku: '42' }), productKey('???', null, [], { company: 'aldi', sku: '43' }));
});

test('products named without an ASCII letter are distinct products, each with its price', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const names = ['香蕉', '苹果', '!!!', '???', 'Ελιές', 'Ελαιόλαδο'];
  const report = await importFile(knex, writeScrape(dir, 'f.jsonl', names.map((name, i) => line({ sku: `S${i}`, name, price_current: 1 + i }))));
  t.is(report.duplicates, 0);
  t.is(report.rows.inserted, names.length);
  const keys = (await knex('products').select('nnbs')).map((r: { nnbs: string }) => r.nnbs);
  t.is(new Set(keys).size, names.length);
  t.false(keys.includes(''));
});

test("a line carrying another product's barcode is a conflict: reported, not applied, and no price moves or vanishes", async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const day = (d: number, secondBarcode: string) =>
    writeScrape(dir, `d${d}.jsonl`, [
      line({ sku: '1', name: 'Tea 100g', barcode: '9310631635078', price_current: 3 }, { scraped_date: `2026-01-0${d}` }),
      line({ sku: '2', name: 'Coffee 200g', barcode: secondBarcode, price_current: 7 }, { scraped_date: `2026-01-0${d}` }),
    ]);
  t.is((await importFile(knex, day(1, '9300633603212'))).mode, 'full');
  const second = await importFile(knex, day(2, '9310631635078'));
  t.is(second.barcodeConflicts, 1);
  t.is(second.duplicates, 0);
  t.is(second.rows.deleted, 0);
  const prices = await knex.raw(`select k.sku, x.price::text from prices x join product_skus k on k.product_id = x.product_id order by 1`);
  t.deepEqual(prices.rows, [
    { sku: '1', price: '3.00' },
    { sku: '2', price: '7.00' },
  ]);
  t.is((await knex('products').where('name', 'Coffee 200g').first()).barcode, '9300633603212', "the product keeps its own barcode");
});

test("a new SKU carrying the barcode of a product its company sells under another SKU is a conflict; another company's is not", async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const tea = (sku: string, name: string, company: string) =>
    line({ sku, name, barcode: '9310631635078', price_current: 3 }, { company, scraped_date: '2026-01-02' });
  await importFile(knex, writeScrape(dir, 'd1.jsonl', [tea('1', 'Tea 100g', 'aldi')].map((l) => l.replace('2026-01-02', '2026-01-01'))));
  const aldi = await importFile(knex, writeScrape(dir, 'aldi.jsonl', [tea('1', 'Tea 100g', 'aldi'), tea('9', 'Green tea 50g', 'aldi')]));
  t.is(aldi.barcodeConflicts, 1);
  const coles = await importFile(knex, writeScrape(dir, 'coles.jsonl', [tea('C9', 'Tea 100g', 'coles')]));
  t.is(coles.barcodeConflicts, 0);
  const skus = await knex.raw(`select c.name as company, k.sku, p.name, p.barcode from product_skus k join companies c on c.id = k.company_id join products p on p.id = k.product_id order by 1, 2`);
  t.deepEqual(skus.rows, [
    { company: 'aldi', sku: '1', name: 'Tea 100g', barcode: '9310631635078' },
    { company: 'aldi', sku: '9', name: 'Green tea 50g', barcode: null },
    { company: 'coles', sku: 'C9', name: 'Tea 100g', barcode: '9310631635078' },
  ]);
});

/** Six files of three stores over two days, with products shared across stores by barcode, SKU and name. */
function catalogueFiles(dir: string): string[] {
  const files: string[] = [];
  for (const d of [1, 2]) {
    for (const [store, company] of [['G1', 'aldi'], ['G2', 'aldi'], ['C1', 'coles']] as const) {
      const lines = Array.from({ length: 12 }, (_, i) => {
        const n = (i + d + (store === 'G2' ? 3 : 0)) % 14;
        return line(
          {
            sku: company === 'coles' ? `C${n}` : `A${n}`,
            name: `${['Rice', 'Tea', 'Oats', 'Milk'][n % 4]} ${store === 'C1' && n % 3 === 0 ? 'Brand X ' : ''}${n}00g`,
            barcode: n % 5 === 0 ? ['9310631635078', '9300633603212', '9300633603212'][n % 3]! : null,
            price_current: 1 + ((n * d) % 9),
            category_path: ['Food', ['Dry', 'Wet'][n % 2]!],
          },
          { company, store_id: store, scraped_date: `2026-01-0${d}` },
        );
      });
      files.push(writeScrape(dir, `${store}-${d}.jsonl`, lines));
    }
  }
  return files;
}

test('batching does not change the catalogue: any split of the files gives what one file at a time gives', async (t) => {
  const dir = tempDir(t);
  const files = catalogueFiles(dir);
  const reference = await testDatabase(t);
  for (const file of files) await importFile(reference.knex, file);
  const expected = await content(reference.knex);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.boolean(), { minLength: files.length - 1, maxLength: files.length - 1 }), async (cuts) => {
      const { knex } = await testDatabase(t);
      let group: string[] = [files[0]!];
      for (const [i, cut] of cuts.entries()) {
        if (cut) {
          await importFiles(knex, group);
          group = [];
        }
        group.push(files[i + 1]!);
      }
      await importFiles(knex, group);
      t.deepEqual(await content(knex), expected);
    }),
    { numRuns: 8 },
  );
});
