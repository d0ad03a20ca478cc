import test from 'ava';
import { buildServer } from '../../src/export/server.js';
import type { PricingStoreResolver } from '../../src/extensions/api.js';
import { importFiles } from '../../src/import/import-files.js';
import { KeptLookup } from '../../src/serve/kept-lookup.js';
import { silentLogger } from '../../src/testing/index.js';
import { ALDI, eventually, FIXTURES, fixtureDatabase, G147, productBySku, storeId } from './helpers.js';

const BERG_1KG = '000000000000398931';

test('a kept look-up asks only for keys it does not keep, looks every kept key up again once due, and keeps its answers when that fails', async (t) => {
  const asked: string[][] = [];
  let answer = (key: string) => `${key}-1`;
  let failing = false;
  const lookup = new KeptLookup<string, string>(
    async (keys) => {
      asked.push([...keys]);
      if (failing) throw new Error('database gone');
      return new Map(keys.filter((k) => k !== 'nobody').map((k) => [k, answer(k)]));
    },
    { refreshEveryMs: 60_000 },
  );
  t.deepEqual([...(await lookup.get(['a', 'b', 'nobody']))], [['a', 'a-1'], ['b', 'b-1']]);
  t.deepEqual([...(await lookup.get(['b', 'a']))], [['b', 'b-1'], ['a', 'a-1']]);
  t.deepEqual([...(await lookup.get(['a', 'nobody']))], [['a', 'a-1']], 'a key without an answer is asked again, and still has none');
  t.deepEqual(asked, [['a', 'b', 'nobody'], ['nobody']]);

  const due = new KeptLookup<string, string>(async (keys) => (asked.push([...keys]), failing ? Promise.reject(new Error('database gone')) : new Map(keys.map((k) => [k, answer(k)]))), { refreshEveryMs: 0 });
  asked.length = 0;
  await due.get(['a', 'b']);
  answer = (key) => `${key}-2`;
  t.deepEqual([...(await due.get(['a']))], [['a', 'a-1']], 'the answers in hand serve while the refresh runs');
  await due.close();
  t.deepEqual(asked, [['a', 'b'], ['a', 'b']], 'the refresh looks up every kept key');
  const refreshed = new KeptLookup<string, string>(async (keys) => new Map(keys.map((k) => [k, answer(k)])), { refreshEveryMs: 0 });
  await refreshed.get(['a']);
  answer = (key) => `${key}-3`;
  await refreshed.get(['a']);
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.deepEqual([...(await refreshed.get(['a']))], [['a', 'a-3']], 'the refreshed answer replaces the kept one');
  failing = true;
  answer = (key) => `${key}-4`;
  const kept = new KeptLookup<string, string>(async (keys) => (failing ? Promise.reject(new Error('database gone')) : new Map(keys.map((k) => [k, answer(k)]))), { refreshEveryMs: 0, logger: silentLogger });
  failing = false;
  await kept.get(['a']);
  failing = true;
  await kept.get(['a']);
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.deepEqual([...(await kept.get(['a']))], [['a', 'a-4']], 'a failed refresh leaves the answers in hand');
  await Promise.all([lookup.close(), refreshed.close(), kept.close()]);
});

test('while serving: new prices show on the next request, a store imported is named at once, and a store moved to another pricing store or removed shows within the refresh', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  // A resolver the test moves stores with, as a grouping run would.
  const pricingStore = new Map<number, number>();
  const resolver: PricingStoreResolver = { id: 'test', priority: 5, pricingStoreOf: async (ids) => new Map(ids.map((id) => [id, pricingStore.get(id) ?? id])) };
  const app = await buildServer({ knex, resolver, apiKey: undefined, logger: silentLogger, keptRefreshEveryMs: 50 });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const get = async (path: string) => {
    const response = await fetch(new URL(path, url));
    return { status: response.status, body: (await response.json()) as any };
  };
  const edgecliff = await storeId(knex, 'aldi', 'G467');
  const bacon = await productBySku(knex, 'aldi', BERG_1KG);
  const before = await get(`/api/products/${bacon}/prices?store_ids=${edgecliff}`);
  t.is(before.status, 200);
  const price = Number(before.body.prices[0].price);

  // Prices are read on every request: an import shows at once.
  await knex.raw(`update prices set price = price + 1 where store_id = ? and product_id = ?`, [edgecliff, bacon]);
  t.is(Number((await get(`/api/products/${bacon}/prices?store_ids=${edgecliff}`)).body.prices[0].price), price + 1);

  // A store the server has not seen yet is looked up on the request that names it.
  t.is((await get(`/api/products/${bacon}/prices?store_ids=aldi:G147`)).status, 400, 'not yet imported: no such store');
  await importFiles(knex, G147.map((f) => FIXTURES + f));
  const g147 = await get(`/api/products/${bacon}/prices?store_ids=aldi:G147,${edgecliff}`);
  t.is(g147.status, 200, 'imported: named at once');
  t.is(g147.body.prices.length, 2);

  // A store never scraped reads its pricing store's prices; moved to another, it reads that one's.
  const [{ id: fresh }] = (await knex.raw(`insert into stores (company_id, store_id, name) select id, 'G999', 'New store' from companies where name = 'aldi' returning id`)).rows;
  const unpriced = await get(`/api/products/${bacon}/prices?store_ids=${fresh}`);
  t.deepEqual([unpriced.body.prices, unpriced.body.missing], [[], [Number(fresh)]]);
  pricingStore.set(Number(fresh), edgecliff);
  const moved = await eventually(() => get(`/api/products/${bacon}/prices?store_ids=${fresh}`), (r) => r.body.prices.length === 1);
  t.like(moved.body.prices[0], { storeId: Number(fresh), sourceStoreId: edgecliff, price: (price + 1).toFixed(2) });

  // A store removed is refused once the kept answers are looked up again.
  await knex.raw(`delete from stores where id = ?`, [fresh]);
  const removed = await eventually(() => get(`/api/products/${bacon}/prices?store_ids=${fresh}`), (r) => r.status === 400);
  t.is(removed.body.error.code, 'unknown-stores');
});
