import test from 'ava';
import type { PricingStoreResolver } from '../../src/extensions/api.js';
import { identityResolver } from '../../src/extensions/identity-resolver.js';
import { productPrices } from '../../src/prices/product-prices.js';
import { BatchedPrices } from '../../src/serve/batched-prices.js';
import { fixtureDatabase, productBySku, storeId } from './helpers.js';

const BERG_1KG = '000000000000398931';
const BERG_500G = '000000000000400810';

test('prices asked in the same turn at the same stores are read in one statement, each answer as productPrices gives it', async (t) => {
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
  t.is(statements.length, 2, 'one statement for each set of stores');

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
