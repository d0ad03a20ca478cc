import test from 'ava';
import { drillFaults, scrapeScene } from '@trolley/scraper-kit/testing';
import { igaCatalogue, igaSite, isPage } from './iga-fixture.js';

const LEAVES = ['Coconut_Milk', 'Apples_Pears_and_Bananas', 'Yeast_and_Baking_Ingredients'];

test("a store is listed whole: the store's cookie, the real hierarchy's 412 leaves, paging ends at the repeated page; the file imports with no invalid line", async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = igaCatalogue({ [LEAVES[0]!]: 85, [LEAVES[1]!]: 40, [LEAVES[2]!]: 3 });
  const s = await scrapeScene(t, 'iga', '32600', igaSite(catalogue));
  const run = await s.cli.run(s.args('--json'));
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { file: string; products: number; categories: { discovered: number; done: number } };
  t.is(result.categories.discovered, 412);
  t.is(result.categories.done, 412);
  t.is(result.products, 128);
  t.is(s.site.requests[0]!.path, '/');
  t.is(s.site.requests[1]!.cookies['iga-shop.retailerStoreId'], '32600');
  const skips = (leaf: string) => s.site.requests.filter(isPage(leaf)).map((r) => Number(r.query.get('skip')));
  t.deepEqual(skips(LEAVES[0]!), [0, 40, 80, 120], 'the page at 120 repeats the one at 80');
  t.deepEqual(skips(LEAVES[1]!), [0, 40]);
  t.deepEqual(skips(LEAVES[2]!), [0, 40]);
  t.is(s.records().length, 128);

  const check = await s.cli.run(['import', '--dry-run', '--json', result.file]);
  t.is(check.code, 0, check.stderr);
  t.like((JSON.parse(check.stdout) as { files: unknown[] }).files[0], { records: 128, rejects: 0 });
});

test('the real sample products are cleaned to these values', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'iga', '32600', igaSite(igaCatalogue({ [LEAVES[0]!]: 2 })));
  const run = await s.cli.run(s.args());
  t.is(run.code, 0, run.stderr);
  const pick = (p: Record<string, unknown>) => ({ sku: p.sku, name: p.name, brand: p.brand, barcode: p.barcode, size: p.size, category_path: p.category_path, price_current: p.price_current, price_was: p.price_was, is_on_special: p.is_on_special, per_unit_price_string: p.per_unit_price_string, unit_price: p.unit_price, unit_of_measure: p.unit_of_measure, is_available: p.is_available, sizes: p.sizes });
  t.deepEqual(s.records().map((r) => pick(r.product)), [
    {
      sku: '31218', name: "Australia's Own Organic Coconut Milk Unsweetened", brand: "Australia's Own", barcode: '9315090204483', size: '1l',
      category_path: ['Grocery', 'Drinks', 'Long Life Milk', 'Coconut Milk'], price_current: 3.35, price_was: null, is_on_special: false,
      per_unit_price_string: '$3.35/l', unit_price: 3.35, unit_of_measure: '1l', is_available: true, sizes: ['1000ml'],
    },
    {
      sku: '673701', name: 'Ayam Coconut Cream Regular', brand: 'Ayam', barcode: '9556041641005', size: '200ml',
      category_path: ['Grocery', 'Drinks', 'Long Life Milk', 'Coconut Milk'], price_current: 3.5, price_was: null, is_on_special: false,
      per_unit_price_string: '$1.75/100ml', unit_price: 17.5, unit_of_measure: '1l', is_available: true, sizes: ['200ml'],
    },
  ]);
});

test('429 with Retry-After, 5xx, a slow page, then a block page and the rerun', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = igaCatalogue({ [LEAVES[0]!]: 50, [LEAVES[1]!]: 30 });
  // The hierarchy lists Apples_Pears_and_Bananas (leaf 0) long before Coconut_Milk (leaf 177).
  await drillFaults(t, () => scrapeScene(t, 'iga', '32600', igaSite(catalogue)), { a: isPage(LEAVES[1]!, 0), b: isPage(LEAVES[0]!, 0), c: isPage(LEAVES[0]!, 40) }, 80, { items: [] });
});
