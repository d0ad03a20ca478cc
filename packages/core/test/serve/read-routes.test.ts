import { fileURLToPath } from 'node:url';
import test from 'ava';
import { BUNDLED_POSTCODES } from '../../src/commands/postcodes/import.js';
import { readPostcodeLines, readStoreLines } from '../../src/stores/store-lines.js';
import { importPostcodes, importStores } from '../../src/stores/store-registry.js';
import { ALDI, fixtureDatabase, G147, IGA, productBySku, serveApi, storeId } from './helpers.js';

const BERG_1KG = '000000000000398931';
const BERG_500G = '000000000000400810';

test('a product: its SKUs per company, categories, sizes and unit; an unknown id is a 404', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const api = await serveApi(t, knex);
  const id = await productBySku(knex, 'aldi', BERG_500G);
  const { status, body } = await api.get(`/api/products/${id}`);
  t.is(status, 200);
  t.is(body.name, 'Short Cut Bacon 500g');
  t.is(body.brand, 'BERG');
  t.deepEqual(body.skus, [{ company: 'aldi', sku: BERG_500G }]);
  t.is(body.categories.length, 1);
  t.regex(body.categories[0].path, /Meat/);
  t.true(body.sizes.length > 0);
  const missing = await api.get('/api/products/999999');
  t.is(missing.status, 404);
  t.is(missing.body.error.code, 'not-found');
});

test('prices at stores, cheapest first, and the stores without one; history with each change and the current price', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA, ...G147]);
  const api = await serveApi(t, knex);
  const edgecliff = await storeId(knex, 'aldi', 'G467');
  const g147 = await storeId(knex, 'aldi', 'G147');
  const iga = await storeId(knex, 'iga', (await knex.raw(`select store_id from stores where company_id = (select id from companies where name = 'iga')`)).rows[0].store_id);
  const bacon = await productBySku(knex, 'aldi', BERG_1KG);
  const { body } = await api.get(`/api/products/${bacon}/prices?store_ids=${iga},${g147},${edgecliff}`);
  t.deepEqual(body.prices.map((p: { storeId: number }) => p.storeId).sort(), [edgecliff, g147].sort());
  t.deepEqual(body.missing, [iga]);
  const asNumbers = body.prices.map((p: { price: string }) => Number(p.price));
  t.deepEqual(asNumbers, [...asNumbers].sort((a: number, b: number) => a - b), 'cheapest first');
  t.is(body.prices[0].store.company, 'aldi');
  t.truthy(body.prices[0].unitPrice);
  const byCode = await api.get(`/api/products/${bacon}/prices?store_ids=ALDI:g147,${edgecliff},aldi:G147`);
  t.is(byCode.status, 200, 'stores may be named by company:code, in any case');
  t.deepEqual(byCode.body.prices.map((p: { storeId: number }) => p.storeId).sort(), [edgecliff, g147].sort());
  t.deepEqual(byCode.body.prices.map((p: { store: { code: string } }) => p.store.code).sort(), ['G147', 'G467']);

  const { rows } = await knex.raw(`select product_id, count(*)::int as n from price_history where store_id = ? group by product_id having count(*) > 1 order by product_id limit 1`, [g147]);
  const changed = Number(rows[0].product_id);
  const history = await api.get(`/api/products/${changed}/history?store_id=${g147}`);
  t.is(history.status, 200);
  t.deepEqual((await api.get(`/api/products/${changed}/history?store_id=aldi:G147`)).body, history.body, 'the same store named by its code');
  t.true(history.body.points.length >= rows[0].n, 'every stored change is a point');
  const dates = history.body.points.map((p: { date: string }) => p.date);
  t.deepEqual(dates, [...dates].sort());
  t.is(dates[0], '2025-09-09');
  t.true(new Set(history.body.points.map((p: { price: string }) => p.price)).size > 1, 'the price changed');
  t.is(dates.at(-1), '2025-09-22', 'the current price is the last point');
});

test('substitutes the stores sell, strongest level first, read from the substitutions table when there is one', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const edgecliff = await storeId(knex, 'aldi', 'G467');
  const a = await productBySku(knex, 'aldi', BERG_500G);
  const b = await productBySku(knex, 'aldi', BERG_1KG);
  t.deepEqual((await api.get(`/api/products/${a}/substitutes?store_ids=${edgecliff}`)).body.items, [], 'no substitutions table: no substitutes');
  // The substitutions plugin's table, as its migration makes it.
  await knex.raw(`create table substitutions (product_a bigint not null references products(id), product_b bigint not null references products(id), level smallint not null, score double precision not null, generated_at timestamptz not null default now(), primary key (product_a, product_b))`);
  const igaOnly = Number((await knex.raw(`select k.product_id from product_skus k join companies c on c.id = k.company_id where c.name = 'iga' limit 1`)).rows[0].product_id);
  const lvl3 = Number((await knex.raw(`select k.product_id from product_skus k where k.product_id not in (?, ?) and k.company_id = (select id from companies where name = 'aldi') limit 1`, [a, b])).rows[0].product_id);
  await knex.raw(`insert into substitutions (product_a, product_b, level, score) values (?, ?, 3, 0.8), (least(?::bigint, ?::bigint), greatest(?::bigint, ?::bigint), 1, 1.0), (?, ?, 2, 0.95)`, [a, lvl3, a, b, a, b, a, igaOnly]);
  const { body } = await api.get(`/api/products/${a}/substitutes?store_ids=${edgecliff}`);
  t.deepEqual(body.items.map((s: { product: { id: number }; level: number }) => [s.product.id, s.level]), [[b, 1], [lvl3, 3]], 'the IGA-only substitute is not sold at the Aldi store');
  t.is(body.items[0].prices[0].storeId, edgecliff);
  t.truthy(body.items[0].prices[0].unitPrice);
});

test('bargains at the stores asked about, from the bargains table', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  // The bargains plugin's table, as its migrations make it.
  await knex.raw(`create table bargains (id bigserial primary key, product_id bigint not null unique references products(id), store_id bigint not null references stores(id), min_price numeric(10,2) not null, max_price numeric(10,2) not null, price_count integer not null, company_count integer not null, generated_at timestamptz not null, max_store_id bigint references stores(id), scraped_date date)`);
  const api = await serveApi(t, knex);
  const edgecliff = await storeId(knex, 'aldi', 'G467');
  const iga = Number((await knex.raw(`select id from stores where company_id = (select id from companies where name = 'iga')`)).rows[0].id);
  const product = await productBySku(knex, 'aldi', BERG_500G);
  await knex.raw(`insert into bargains (product_id, store_id, min_price, max_price, price_count, company_count, generated_at) values (?, ?, 5.00, 10.00, 2, 2, now())`, [product, edgecliff]);
  const at = await api.get(`/api/bargains?store_ids=${edgecliff}`);
  t.deepEqual(at.body.items.map((b: { productId: number; discountPercent: number }) => [b.productId, b.discountPercent]), [[product, 50]]);
  t.deepEqual((await api.get(`/api/bargains?store_ids=${iga}`)).body.items, [], 'a bargain credited to another store is not listed');
});

test('stores to pick from: by company and part of a name', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const all = await api.get('/api/stores');
  t.is(all.body.items.length, 2);
  const aldi = await api.get('/api/stores?company=ALDI');
  t.deepEqual(aldi.body.items.map((s: { company: string; code: string }) => `${s.company} ${s.code}`), ['aldi G467']);
  t.is((await api.get('/api/stores?q=edgecl')).body.items[0].code, 'G467');
});

test('stores near a postcode: stores of the registry within the radius, nearest first, with their distance', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  await importStores(knex, await readStoreLines(fileURLToPath(new URL('../../../test/stores/fixtures/stores-trimmed.jsonl.gz', import.meta.url))));
  await importPostcodes(knex, await readPostcodeLines(BUNDLED_POSTCODES));
  const api = await serveApi(t, knex);
  const near = await api.get<{ items: Array<{ company: string; code: string; distanceKm: number }>; next: null }>('/api/stores?near=2000&radius_km=5');
  t.is(near.status, 200);
  const distances = near.body.items.map((s) => s.distanceKm);
  t.true(distances.length > 10 && distances.every((d, i) => d <= 5 && (i === 0 || distances[i - 1]! <= d)), distances.join(', '));
  const edgecliff = near.body.items.find((s) => s.company === 'aldi' && s.code === 'G467');
  // Edgecliff (-33.879058, 151.235579) from postcode 2000's centre: about 3.5 km by hand.
  t.true(edgecliff !== undefined && edgecliff.distanceKm > 3 && edgecliff.distanceKm < 4.5, JSON.stringify(edgecliff));
  const aldiOnly = await api.get<{ items: Array<{ company: string }> }>('/api/stores?near=2000&radius_km=5&company=aldi');
  t.true(aldiOnly.body.items.length > 0 && aldiOnly.body.items.every((s) => s.company === 'aldi'));
  t.is((await api.get('/api/stores?near=0872&radius_km=1')).body.items.length, 0, 'nothing within 1 km of a postcode in the desert');
});

test('bad input on every read route is a 400 with a JSON error, never a 500; 1,000 stores are refused with the limit', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const api = await serveApi(t, knex);
  const thousand = Array.from({ length: 1000 }, (_, i) => i + 1).join(',');
  const cases: Array<[string, string, string?]> = [
    ['/api/products?limit=0', 'FST_ERR_VALIDATION'],
    ['/api/products?limit=abc', 'FST_ERR_VALIDATION'],
    ['/api/products?q=' + 'x'.repeat(300), 'FST_ERR_VALIDATION'],
    ['/api/products?q=a&q=b', 'FST_ERR_VALIDATION'],
    ['/api/products?cursor=bm9wZQ', 'bad-cursor'],
    ['/api/products?page=2', 'FST_ERR_VALIDATION'],
    ['/api/products/abc', 'FST_ERR_VALIDATION'],
    ['/api/products/0', 'FST_ERR_VALIDATION'],
    ['/api/products/1/prices', 'FST_ERR_VALIDATION'],
    ['/api/products/1/prices?store_ids=1,x', 'FST_ERR_VALIDATION'],
    ['/api/products/1/prices?store_ids=' + thousand, 'too-many-stores', '100'],
    ['/api/products/1/prices?store_ids=424242', 'unknown-stores', '424242'],
    ['/api/products/1/prices?store_ids=aldi:NOPE', 'unknown-stores', 'aldi:NOPE'],
    ['/api/products/1/prices?store_ids=aldi:', 'FST_ERR_VALIDATION'],
    ['/api/products/1/history?store_id=1,2', 'FST_ERR_VALIDATION'],
    ['/api/products/1/history', 'FST_ERR_VALIDATION'],
    ['/api/products/1/history?store_id=-1', 'FST_ERR_VALIDATION'],
    ['/api/products/1/substitutes?store_ids=', 'FST_ERR_VALIDATION'],
    ['/api/products/1/substitutes?store_ids=1&limit=1000', 'FST_ERR_VALIDATION'],
    ['/api/bargains?store_ids=' + thousand, 'too-many-stores'],
    ['/api/bargains', 'FST_ERR_VALIDATION'],
    ['/api/stores?limit=99999', 'FST_ERR_VALIDATION'],
    ['/api/stores?after=x', 'FST_ERR_VALIDATION'],
    ['/api/stores?near=20000', 'FST_ERR_VALIDATION'],
    ['/api/stores?near=2000&radius_km=0', 'FST_ERR_VALIDATION'],
    ['/api/stores?near=2000&radius_km=500', 'FST_ERR_VALIDATION'],
    ['/api/stores?near=2000', 'unknown-postcode', 'postcodes import'],
  ];
  for (const [path, code, mentions] of cases) {
    const { status, body } = await api.get(path);
    t.is(status, 400, path);
    t.is(body.error?.code, code, path);
    t.true((body.error?.message ?? '').length > 10, path);
    if (mentions) t.true(body.error.message.includes(mentions), `${path}: ${body.error.message}`);
  }
});

test('the OpenAPI document is generated from the route schemas; --public opens the read routes and not the export routes', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const closed = await serveApi(t, knex);
  t.is((await closed.get('/api/products?q=bacon', { key: null })).status, 401, 'without --public the read routes need the key');
  const api = await serveApi(t, knex, { publicReads: true });
  const doc = (await api.get('/api/openapi.json', { key: null })).body;
  t.is(doc.openapi, '3.0.3');
  for (const path of ['/api/products', '/api/products/{id}', '/api/products/{id}/prices', '/api/products/{id}/history', '/api/products/{id}/substitutes', '/api/bargains', '/api/stores']) {
    t.truthy(doc.paths[path]?.get, path);
  }
  t.deepEqual(doc.paths['/api/products'].get.parameters.map((p: { name: string }) => p.name).sort(), ['category', 'company', 'cursor', 'limit', 'q']);
  t.is(doc.paths['/api/products'].get.parameters.find((p: { name: string }) => p.name === 'limit').schema.maximum, 100);
  t.is((await api.get('/api/products?q=bacon', { key: null })).status, 200);
  t.is((await api.get('/api/export/products', { key: null })).status, 401, 'export routes keep the key');
  t.is((await api.get('/api/export/products')).status, 200);
});
