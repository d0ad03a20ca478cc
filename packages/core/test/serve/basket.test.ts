import test from 'ava';
import { ALDI, fixtureDatabase, IGA, productBySku, serveApi, storeId } from './helpers.js';

const BERG_1KG = '000000000000398931';
const BERG_500G = '000000000000400810';

test('a basket split over an Aldi and an IGA store: each item at its cheaper store, the total, the saving, an item sold nowhere reported', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const aldi = await storeId(knex, 'aldi', 'G467');
  const iga = Number((await knex.raw(`select id from stores where company_id = (select id from companies where name = 'iga')`)).rows[0].id);
  const bacon = await productBySku(knex, 'aldi', BERG_500G);
  const igaProducts = (await knex.raw(`select k.product_id as id, p.price::text as price from product_skus k join prices p on p.product_id = k.product_id and p.store_id = ? where k.company_id = (select id from companies where name = 'iga') order by k.product_id limit 2`, [iga])).rows as Array<{ id: number; price: string }>;
  await knex.raw(`insert into products (nnbs, name) values ('nowhere thing', 'Nowhere Thing')`);
  const nowhere = Number((await knex.raw(`select id from products where nnbs = 'nowhere thing'`)).rows[0].id);
  const baconPrice = (await knex.raw(`select price::text as price from prices where store_id = ? and product_id = ?`, [aldi, bacon])).rows[0].price as string;
  const items = [{ product_id: bacon, quantity: 2 }, ...igaProducts.map((p) => ({ product_id: Number(p.id), quantity: 1 })), { product_id: nowhere, quantity: 1 }];

  const split = await api.post('/api/basket/split', { items, store_ids: [aldi, iga], max_stores: 2 });
  t.is(split.status, 200, JSON.stringify(split.body));
  const plan = split.body;
  t.deepEqual(plan.stores.map((s: { id: number }) => s.id).sort(), [aldi, iga].sort());
  const expected = Math.round(Number(baconPrice) * 200) + igaProducts.reduce((sum, p) => sum + Math.round(Number(p.price) * 100), 0);
  t.is(plan.total, (expected / 100).toFixed(2));
  t.deepEqual(plan.unserved, [{ productId: nowhere, quantity: 1, reason: 'sold-at-none-of-the-stores' }]);
  t.is(plan.items.find((i: { productId: number }) => i.productId === bacon).storeId, aldi);
  t.deepEqual(plan.swaps, []);

  const one = (await api.post('/api/basket/split', { items, store_ids: [aldi, iga], max_stores: 1 })).body;
  const igaCode = (await knex.raw(`select s.store_id from stores s where s.id = ?`, [iga])).rows[0].store_id;
  const byCode = await api.post('/api/basket/split', { items, store_ids: ['aldi:G467', `iga:${igaCode}`], max_stores: 2 });
  t.is(byCode.status, 200, 'store_ids may name stores by company:code');
  t.deepEqual(byCode.body, split.body, 'the same plan as with database ids');
  t.is(one.stores.length, 1);
  t.is(one.total, one.bestSingleStore.total, 'max_stores 1 is the best single store');
  t.is(one.unserved.length, 2, 'one store cannot sell both the Aldi and the IGA items');
  t.true(one.unserved.some((u: { reason: string }) => u.reason === 'sold-only-at-stores-not-chosen'));
});

test('with substitutes, an item the chosen store lacks is swapped for its LVL1 other size, and the swap is listed', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  const aldi = await storeId(knex, 'aldi', 'G467');
  const small = await productBySku(knex, 'aldi', BERG_500G);
  const large = await productBySku(knex, 'aldi', BERG_1KG);
  await knex.raw(`create table substitutions (product_a bigint not null, product_b bigint not null, level smallint not null, score double precision not null, generated_at timestamptz not null default now(), primary key (product_a, product_b))`);
  await knex.raw(`insert into substitutions (product_a, product_b, level, score) values (least(?::bigint, ?::bigint), greatest(?::bigint, ?::bigint), 1, 1)`, [small, large, small, large]);
  await knex.raw(`delete from prices where store_id = ? and product_id = ?`, [aldi, small]);
  const without = (await api.post('/api/basket/split', { items: [{ product_id: small, quantity: 1 }], store_ids: [aldi], max_stores: 1 })).body;
  t.is(without.unserved.length, 1);
  const swapped = (await api.post('/api/basket/split', { items: [{ product_id: small, quantity: 1 }], store_ids: [aldi], max_stores: 1, substitutes: true })).body;
  t.deepEqual(swapped.unserved, []);
  t.deepEqual(swapped.swaps, [{ productId: small, substituteId: large, level: 1, storeId: aldi }]);
  t.is(swapped.items[0].buyProductId, large);
});

test('bad baskets are a 400 with the limit named: 10,000 items, 1,000 stores, max_stores 5, unknown products and stores', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const api = await serveApi(t, knex);
  const cases: Array<[unknown, string, string]> = [
    [{ items: Array.from({ length: 10_000 }, () => ({ product_id: 1 })), store_ids: [1] }, 'FST_ERR_VALIDATION', '200'],
    [{ items: [{ product_id: 1 }], store_ids: Array.from({ length: 1000 }, (_, i) => i + 1) }, 'FST_ERR_VALIDATION', '100'],
    [{ items: [{ product_id: 1 }], store_ids: [1], max_stores: 5 }, 'FST_ERR_VALIDATION', '4'],
    [{ items: [], store_ids: [1] }, 'FST_ERR_VALIDATION', 'items'],
    [{ items: [{ product_id: 1 }], store_ids: [{ id: 1 }] }, 'FST_ERR_VALIDATION', 'store_ids'],
    [{ items: [{ product_id: 1 }], store_ids: ['aldi:NOPE'] }, 'unknown-stores', 'aldi:NOPE'],
    [{ items: [{ product_id: 'x' }], store_ids: [1] }, 'FST_ERR_VALIDATION', 'product_id'],
    [{ items: [{ product_id: 1, quantity: 0 }], store_ids: [1] }, 'FST_ERR_VALIDATION', 'quantity'],
    [{ items: [{ product_id: 999999 }], store_ids: [1] }, 'unknown-products', '999999'],
    [{ items: [{ product_id: 1 }], store_ids: [31337] }, 'unknown-stores', '31337'],
    ['{not json', 'FST_ERR_CTP_INVALID_JSON_BODY', 'JSON'],
  ];
  for (const [body, code, mentions] of cases) {
    const { status, body: answer } = await api.post('/api/basket/split', body);
    t.is(status, 400, JSON.stringify(body).slice(0, 80));
    t.is(answer.error?.code, code, JSON.stringify(body).slice(0, 80));
    t.true(answer.error.message.includes(mentions), answer.error.message);
  }
});
