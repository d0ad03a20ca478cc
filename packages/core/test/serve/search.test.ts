import test from 'ava';
import { WORD_SIMILARITY_THRESHOLD } from '../../src/search/product-search.js';
import { ALDI, eventually, fixtureDatabase, IGA, productBySku, serveApi } from './helpers.js';

const BERG_1KG = '000000000000398931';
const BERG_500G = '000000000000400810';

interface Hit {
  id: number;
  name: string;
  brand: string | null;
  barcode: string | null;
  score: number;
}

test('search on the real Aldi and IGA files: "short cut bacon" finds the BERG 500g and 1kg first, "bacn" still finds them, a barcode and a SKU find their product', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const berg = new Set([await productBySku(knex, 'aldi', BERG_1KG), await productBySku(knex, 'aldi', BERG_500G)]);

  const exact = await api.get<{ items: Hit[] }>('/api/products?q=short%20cut%20bacon');
  t.is(exact.status, 200);
  t.deepEqual(new Set(exact.body.items.slice(0, 2).map((h) => h.id)), berg, exact.body.items.map((h) => `${h.name} ${h.score}`).join('; '));
  t.true(exact.body.items.slice(0, 2).every((h) => h.brand === 'BERG'));
  t.true(exact.body.items.length > 2, 'other bacon products follow');

  const typo = await api.get<{ items: Hit[] }>('/api/products?q=bacn&limit=10');
  const typoIds = typo.body.items.map((h) => h.id);
  for (const id of berg) t.true(typoIds.includes(id), `bacn finds ${id}: ${typo.body.items.map((h) => h.name).join('; ')}`);
  t.true(typo.body.items.every((h) => /bacon/i.test(h.name)), 'only bacon products match bacn');

  const typo2 = await api.get<{ items: Hit[] }>('/api/products?q=shrt%20cut%20bacn');
  t.deepEqual(new Set(typo2.body.items.slice(0, 2).map((h) => h.id)), berg, 'misspelt words still rank the two first');

  const { rows } = await knex.raw(`select p.id, p.barcode, k.sku from products p join product_skus k on k.product_id = p.id join companies c on c.id = k.company_id where c.name = 'iga' and p.barcode is not null order by p.id limit 1`);
  const byBarcode = await api.get<{ items: Hit[] }>(`/api/products?q=${rows[0].barcode}`);
  t.is(byBarcode.body.items[0]?.id, Number(rows[0].id));
  t.is(byBarcode.body.items[0]?.score, 2_000_000);
  const bySku = await api.get<{ items: Hit[] }>(`/api/products?q=${BERG_500G}`);
  t.is(bySku.body.items[0]?.id, await productBySku(knex, 'aldi', BERG_500G));
  // A SKU with capitals (Coles-style codes in some exports) is matched as written.
  const mixedCase = await productBySku(knex, 'iga', String(rows[0].sku));
  await knex.raw(`update product_skus set sku = 'IgA-' || sku where sku = ?`, [rows[0].sku]);
  // The server's search sees the change once it checks the catalogue again (every 2 s at most).
  const byMixedCaseSku = await eventually(() => api.get<{ items: Hit[] }>(`/api/products?q=IgA-${rows[0].sku}`), (r) => r.body.items.length > 0);
  t.is(byMixedCaseSku.body.items[0]?.id, mixedCase);
  t.is(byMixedCaseSku.body.items[0]?.score, 2_000_000);

  const brand = await api.get<{ items: Hit[] }>('/api/products?q=berg&company=aldi&limit=50');
  t.true(brand.body.items.slice(0, 4).every((h) => h.brand === 'BERG'), `a brand name finds its products first: ${brand.body.items.map((h) => `${h.brand} ${h.name} ${h.score}`).join('; ')}`);
  const igaOnly = await api.get<{ items: Hit[] }>('/api/products?q=bacon&company=iga&limit=50');
  t.true(igaOnly.body.items.length > 0);
  t.false(igaOnly.body.items.some((h) => berg.has(h.id)), 'the company filter leaves out Aldi products');
});

test('search pages are keyset pages: walking them gives every match once, best first', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const all = (await api.get<{ items: Hit[]; next: string | null }>('/api/products?q=bacon&limit=100')).body;
  t.true(all.items.length > 8);
  t.is(all.next, null);
  const walked: Hit[] = [];
  let next: string | null = '';
  while (next !== null) {
    const page: { items: Hit[]; next: string | null } = (await api.get(`/api/products?q=bacon&limit=3${next ? `&cursor=${next}` : ''}`)).body;
    walked.push(...page.items);
    next = page.next;
  }
  t.deepEqual(walked.map((h) => h.id), all.items.map((h) => h.id));
  for (let i = 1; i < walked.length; i++) t.true(walked[i - 1]!.score >= walked[i]!.score);
  const browse = (await api.get<{ items: Hit[] }>('/api/products?limit=5')).body.items;
  t.deepEqual(browse.map((h) => h.id), [1, 2, 3, 4, 5], 'without q, products by id');
});

test('products added after the migration are found: the search text is kept by the database', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const api = await serveApi(t, knex);
  t.is((await api.get<{ items: Hit[] }>('/api/products?q=zzyzx%20marmalade')).body.items.length, 0);
  await knex.raw(`insert into brands (key, name) values ('zzyzx', 'Zzyzx')`);
  await knex.raw(`insert into products (nnbs, name, brand_id) select 'zzyzx orange marmalade', 'Orange Marmalade', id from brands where key = 'zzyzx'`);
  const found = (await eventually(() => api.get<{ items: Hit[] }>('/api/products?q=zzyzx%20marmalade'), (r) => r.body.items.length > 0)).body.items;
  t.is(found[0]?.name, 'Orange Marmalade');
  t.is(found[0]?.brand, 'Zzyzx');
});

test('every database session searches with the word-similarity threshold trolley sets, with no statement of its own', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const settings = await Promise.all(Array.from({ length: 6 }, () => knex.raw<{ rows: Array<{ v: string }> }>(`select current_setting('pg_trgm.word_similarity_threshold') as v`)));
  t.deepEqual([...new Set(settings.map((s) => Number(s.rows[0]!.v)))], [WORD_SIMILARITY_THRESHOLD], 'on every pooled connection');
  t.is(WORD_SIMILARITY_THRESHOLD, 0.5);
});
