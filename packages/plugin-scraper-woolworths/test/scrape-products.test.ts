import test from 'ava';
import { drillFaults, scrapeScene } from '@trolley/scraper-kit/testing';
import { departments, isPage, STORES, woolworthsSite } from './woolworths-fixture.js';

test('a store is listed whole: home page first (its cookie kept), departments but everyday-market, each paged until an empty page; the file imports with no invalid line', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const list = departments([73, 36, 2]);
  const s = await scrapeScene(t, 'woolworths', '1044', woolworthsSite(list));
  const run = await s.cli.run(s.args('--json'));
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { file: string; products: number; categories: { discovered: number } };
  t.is(result.categories.discovered, 3);
  t.is(result.products, 111);
  t.is(s.site.requests[0]!.path, '/');
  t.is(s.site.requests[1]!.path, '/apis/ui/PiesCategoriesWithSpecials');
  t.is(s.site.requests[1]!.cookies['w-session'], 'abc123', 'the cookie the home page set goes with the next requests');
  const pages = (id: string) => s.site.requests.filter(isPage(id)).map((r) => (JSON.parse(r.body) as { pageNumber: number }).pageNumber);
  t.deepEqual(pages(list[0]!.id), [1, 2, 3, 4]);
  t.deepEqual(pages(list[1]!.id), [1, 2]);
  t.deepEqual(pages(list[2]!.id), [1, 2]);
  t.is(s.site.count('/apis/ui/browse/category'), 8, 'everyday-market is not asked for');
  const body = JSON.parse(s.site.requests.find(isPage(list[0]!.id, 2))!.body) as Record<string, unknown>;
  t.like(body, { categoryId: list[0]!.id, pageNumber: 2, pageSize: 36, sortType: 'PriceAsc', url: '/shop/browse/fruit-veg', location: '/shop/browse/fruit-veg?pageNumber=2&sortBy=PriceAsc', formatObject: '{"name":"fruit-veg"}', storeId: '1044', isHideUnavailableProducts: true, categoryVersion: 'v2' });
  t.deepEqual(body.filters, [{ Key: 'SoldBy', Items: [{ Term: 'Woolworths' }] }]);

  const check = await s.cli.run(['import', '--dry-run', '--json', result.file]);
  t.is(check.code, 0, check.stderr);
  const report = JSON.parse(check.stdout) as { files: Array<{ records: number; rejects: number; mode: string }> };
  t.like(report.files[0], { records: 111, rejects: 0, mode: 'full' });
});

test('the real sample product is cleaned to these values', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'woolworths', '1044', woolworthsSite(departments([1])));
  const run = await s.cli.run(s.args());
  t.is(run.code, 0, run.stderr);
  const [record] = s.records();
  const p = record!.product;
  t.deepEqual(
    { sku: p.sku, name: p.name, brand: p.brand, barcode: p.barcode, size: p.size, url: p.url, category_path: p.category_path, price_current: p.price_current, price_was: p.price_was, is_on_special: p.is_on_special, per_unit_price_string: p.per_unit_price_string, unit_price: p.unit_price, unit_of_measure: p.unit_of_measure, is_available: p.is_available, sizes: p.sizes },
    {
      sku: 136341, name: "Woolworths Bird's Eye Chilli Hot", brand: 'Woolworths', barcode: '0265178000003', size: 'each',
      url: 'https://www.woolworths.com.au/shop/productdetails/136341/woolworths-bird-s-eye-chilli-hot',
      category_path: ['Fruit & Veg', 'Vegetables', 'Fresh Herbs, Garlic & Chillies'],
      price_current: 0.14, price_was: null, is_on_special: false, per_unit_price_string: '$0.14 / 1EA', unit_price: 0.14, unit_of_measure: '1ea', is_available: true, sizes: ['ea'],
    },
  );
  t.like(record!.metadata, { company: 'woolworths', store_id: '1044', store_name: 'woolworths store 1044' });
});

test('429 with Retry-After, 5xx, a slow page, then a block page and the rerun', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const list = departments([40, 40]);
  await drillFaults(t, () => scrapeScene(t, 'woolworths', '1044', woolworthsSite(list)), { a: isPage(list[0]!.id, 2), b: isPage(list[1]!.id, 1), c: isPage(list[1]!.id, 3) }, 80, { Bundles: [] });
});

test('scrape stores: the store locator over a grid, after the home page; each store once', async (t) => {
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'woolworths', '1044', woolworthsSite(departments([1])));
  const run = await s.cli.run(['scrape', 'stores', '--company', 'woolworths', '--import', '--grid-step', '10', '--delay', '0', '--base-url', s.site.origin, '--json']);
  t.is(run.code, 0, run.stderr);
  t.like(JSON.parse(run.stdout), { stores: 2, imported: { inserted: 2 } });
  t.is(s.site.requests[0]!.path, '/');
  t.is(s.site.count('/apis/ui/StoreLocator/Stores'), 4 * 5, 'a 10° grid over Australia');
  const listed = await s.cli.run(['stores', 'list', '--company', 'woolworths', '--json']);
  t.deepEqual((JSON.parse(listed.stdout) as { stores: Array<{ code: string; suburb: string; latitude: number }> }).stores.map((x) => [x.code, x.suburb, x.latitude]), STORES.map((x) => [x.StoreNo, x.Suburb, x.Latitude]));
});
