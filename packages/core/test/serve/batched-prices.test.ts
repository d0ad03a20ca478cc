import test from 'ava';
import type { PricingStoreResolver } from '../../src/extensions/api.js';
import { identityResolver } from '../../src/extensions/identity-resolver.js';
import { productPrices } from '../../src/prices/product-prices.js';
import { BatchedPrices, sharedStatements } from '../../src/serve/batched-prices.js';
import { fixtureDatabase, productBySku, storeId } from './helpers.js';

const BERG_1KG = '000000000000398931';
const BERG_500G = '000000000000400810';

test('prices asked in the same turn are read in one statement, each answer as productPrices gives it at its own stores', async (t) => {
  const knex = await fixtureDatabase(t);
  const aldi = await storeId(knex, 'aldi', 'G467');
  const iga = await storeId(knex, 'iga', (await knex.raw(`select store_id from stores where company_id = (select id from companies where name = 'iga')`)).rows[0].store_id);
  const bacon = await productBySku(knex, 'aldi', BERG_1KG);
  const small = await productBySku(knex, 'aldi', BERG_500G);
  const igaOnly = Number((await knex.raw(`select k.product_id from product_skus k join companies c on c.id = k.company_id where c.name = 'iga' limit 1`)).rows[0].product_id);
  const nowhere = Number((await knex.raw('select max(id) + 1 as id from products')).rows[0].id);
  const expected = async (productId: number, storeIds: number[]) => productPrices(knex, identityResolver, productId, { storeIds });

  const statements: string[] = [];
  const count = (query: { sql: string }) => statements.push(query.sql);
  knex.on('query', count);
  const batched = new BatchedPrices(knex, identityResolver);
  const both = [iga, aldi];
  const answers = await Promise.all([
    batched.pricesOf(bacon, both),
    batched.pricesOf(small, [aldi, iga, aldi]),
    batched.pricesOf(igaOnly, both),
    batched.pricesOf(bacon, both),
    batched.pricesOf(nowhere, both),
    batched.pricesOf(bacon, [aldi]),
  ]);
  knex.removeListener('query', count);
  t.is(statements.length, 1, 'one statement for the turn: its stores sets differ, but together they ask for nearly every (product, store) pair read');

  t.deepEqual(answers[0], await expected(bacon, both));
  t.true(answers[0].length > 0);
  t.deepEqual(answers[1], await expected(small, both), 'the same stores named in another order, or twice, are the same batch');
  t.deepEqual(answers[2], await expected(igaOnly, both));
  t.deepEqual(
    answers[2].map((p) => p.storeId),
    [iga],
  );
  t.deepEqual(answers[3], answers[0], 'a product asked twice in a batch gets the same answer');
  t.deepEqual(answers[4], [], 'a product no store prices');
  t.deepEqual(answers[5], await expected(bacon, [aldi]));
  t.deepEqual(
    answers[5].map((p) => p.storeId),
    [aldi],
  );
});

test('requests of a turn at different stores share a statement while it reads at most twice the pairs they ask for; each keeps its own stores', async (t) => {
  const knex = await fixtureDatabase(t);
  const stores = (await knex.raw('select id from stores order by id')).rows.map((r: { id: number | string }) => Number(r.id)) as number[];
  t.true(stores.length >= 2);
  const products = (await knex.raw('select distinct product_id from prices order by product_id limit 12')).rows.map((r: { product_id: number | string }) => Number(r.product_id)) as number[];
  // Every non-empty subset of the stores, each asked for a few products (some asked under two subsets).
  const asks: Array<{ productId: number; storeIds: number[] }> = [];
  for (let mask = 1; mask < 1 << Math.min(stores.length, 4); mask++) {
    const storeIds = stores.filter((_, i) => (mask >> i) & 1);
    for (let k = 0; k < 3; k++) asks.push({ productId: products[(mask * 5 + k) % products.length]!, storeIds });
  }
  let statements = 0;
  const count = () => statements++;
  knex.on('query', count);
  const answers = await Promise.all(asks.map((a) => new BatchedPrices(knex, identityResolver).pricesOf(a.productId, a.storeIds)));
  const shared = new BatchedPrices(knex, identityResolver);
  statements = 0;
  const together = await Promise.all(asks.map((a) => shared.pricesOf(a.productId, a.storeIds)));
  knex.removeListener('query', count);
  t.true(statements < asks.length / 3, `${statements} statements for ${asks.length} requests`);
  t.deepEqual(together, answers, 'each answer as its own statement gives it');
  for (const [i, a] of asks.entries()) {
    t.deepEqual(together[i], await productPrices(knex, identityResolver, a.productId, { storeIds: a.storeIds }));
    for (const p of together[i]!) t.true(a.storeIds.includes(p.storeId), 'only the stores asked');
  }
  t.true(together.some((a) => a.length > 0));

});

test('which batches of a turn share a statement: while it reads at most twice the pairs they ask for, 2,000 pairs and the products a statement takes', (t) => {
  const batch = (storeIds: number[], products: number[]) => ({ storeIds, waiting: new Map(products.map((p) => [p, []])) });
  const sizes = (groups: Array<Array<{ storeIds: number[] }>>) => groups.map((g) => g.length);
  // Ten of twenty stores each (the benchmark's shape): 20 stores × n products is 2 × (10 × n).
  const halves = Array.from({ length: 8 }, (_, i) => batch(Array.from({ length: 10 }, (_, k) => 1 + ((i + 2 * k) % 20)), [100 + i]));
  t.deepEqual(sizes(sharedStatements(halves, 100)), [8]);
  // One product at each of four stores: 16 pairs read for 4 asked, so apart after the second.
  t.deepEqual(sizes(sharedStatements([1, 2, 3, 4].map((s) => batch([s], [s])), 100)), [2, 2]);
  // The same stores always share (a product asked under two sets counts once).
  t.deepEqual(sizes(sharedStatements([batch([1, 2], [7]), batch([1, 2], [8]), batch([2, 1], [7])], 100)), [3]);
  // At most `most` products, and at most 2,000 pairs, a statement.
  t.deepEqual(sizes(sharedStatements(halves, 3)), [3, 3, 2]);
  const wide = Array.from({ length: 30 }, (_, i) => batch(Array.from({ length: 100 }, (_, k) => k + 1), [i]));
  t.deepEqual(sizes(sharedStatements(wide, 100)), [20, 10]);
});

test('a batch that reaches its size is sent at once; every request of a failed batch fails; nothing is kept between batches', async (t) => {
  const knex = await fixtureDatabase(t);
  const aldi = await storeId(knex, 'aldi', 'G467');
  const bacon = await productBySku(knex, 'aldi', BERG_1KG);
  const small = await productBySku(knex, 'aldi', BERG_500G);

  let statements = 0;
  const count = () => statements++;
  knex.on('query', count);
  const batched = new BatchedPrices(knex, identityResolver, 1);
  const [a, b] = await Promise.all([batched.pricesOf(bacon, [aldi]), batched.pricesOf(small, [aldi])]);
  knex.removeListener('query', count);
  t.is(statements, 2, 'at most one product a statement');
  t.is(a[0]?.productId, bacon);
  t.is(b[0]?.productId, small);

  const broken: PricingStoreResolver = { id: 'broken', priority: 0, pricingStoreOf: async () => Promise.reject(new Error('resolver gone')) };
  const failing = new BatchedPrices(knex, broken);
  const results = await Promise.allSettled([failing.pricesOf(bacon, [aldi]), failing.pricesOf(small, [aldi])]);
  t.deepEqual(
    results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'answered')),
    ['resolver gone', 'resolver gone'],
  );

  const before = Number(a[0]!.price);
  await knex.raw('update prices set price = price + 1 where store_id = ? and product_id = ?', [aldi, bacon]);
  const after = await new BatchedPrices(knex, identityResolver).pricesOf(bacon, [aldi]);
  t.is(Number(after[0]!.price), before + 1);
  t.is(Number((await batched.pricesOf(bacon, [aldi]))[0]!.price), before + 1, 'the same batcher reads the new price on its next batch');
});
