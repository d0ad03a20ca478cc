import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { importFiles, OWN_PRICE_ROWS } from '@trolley/core';
import { cliSandbox, migrationsWith, REAL_FIXTURES, testDatabase } from '@trolley/core/testing';
import { bargainsMigrations } from '../src/migrations.js';
import { bargainRule } from '../src/bargain-rule.js';
import { generateBargains, listBargains } from '../src/bargains.js';

const REAL = REAL_FIXTURES;
const ALDI_19 = ['albion-park-g501', 'blair-athol-g457', 'cowra-g439', 'edgecliff-g467'].map((s) => `${REAL}aldi/aldi-${s}-2025-09-19.jsonl.gz`);
const G147 = ['09', '12', '22'].map((d) => `${REAL}aldi/aldi-aldi-store-g147-g147-2025-09-${d}.jsonl.gz`);
const IGA = [`${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`, `${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`];

async function realPrices(t: ExecutionContext): Promise<{ knex: Knex; stores: number[] }> {
  const { knex } = await testDatabase(t, { migrations: migrationsWith({ '@trolley/plugin-bargains': bargainsMigrations }) });
  const reports = await importFiles(knex, [...ALDI_19, ...G147, ...IGA]);
  if (reports.some((r) => r.mode !== 'full')) throw new Error('the real files did not import');
  const stores = (await knex.raw(`select id from stores order by id`)).rows.map((r: { id: number | string }) => Number(r.id));
  return { knex, stores };
}

/** The rule computed here from plain rows, independently of the SQL: product → [cheapest store, min, max]. */
async function expected(knex: Knex, since: string, minCompanies = 1): Promise<Map<number, [number, number, number]>> {
  const rows = (await knex.raw(`select p.product_id, p.store_id, p.price::text as price, s.company_id from ${OWN_PRICE_ROWS} p join stores s on s.id = p.store_id where p.scraped_date >= ?::date`, [since])).rows as Array<{
    product_id: number | string;
    store_id: number | string;
    price: string;
    company_id: number | string;
  }>;
  const byProduct = new Map<number, Array<{ store: number; cents: number; company: number }>>();
  for (const r of rows) {
    const list = byProduct.get(Number(r.product_id)) ?? [];
    list.push({ store: Number(r.store_id), cents: Math.round(Number(r.price) * 100), company: Number(r.company_id) });
    byProduct.set(Number(r.product_id), list);
  }
  const result = new Map<number, [number, number, number]>();
  for (const [product, prices] of byProduct) {
    if (prices.length < 2 || new Set(prices.map((p) => p.company)).size < minCompanies) continue;
    const cheapest = [...prices].sort((a, b) => a.cents - b.cents || a.store - b.store)[0]!;
    const max = Math.max(...prices.map((p) => p.cents));
    if (cheapest.cents > 0 && 2 * max > 3 * cheapest.cents) result.set(product, [cheapest.store, cheapest.cents, max]);
  }
  return result;
}

const stored = async (knex: Knex) =>
  new Map(
    ((await knex.raw(`select product_id, store_id, min_price::text as min, max_price::text as max from bargains`)).rows as Array<Record<string, string | number>>).map((r) => [
      Number(r.product_id),
      [Number(r.store_id), Math.round(Number(r.min) * 100), Math.round(Number(r.max) * 100)] as [number, number, number],
    ]),
  );

test('on the real Aldi and IGA files the stored bargains are exactly the rule computed from the rows', async (t) => {
  const { knex, stores } = await realPrices(t);
  const report = await generateBargains(knex, stores, bargainRule());
  t.is(report.asOf, '2025-09-22', 'the newest scrape');
  t.is(report.since, '2025-09-15');
  const want = await expected(knex, '2025-09-15');
  // The trimmed files (core's test/fixtures/real/README.md) hold 14 such products; the full ones several hundred.
  t.is(want.size, 14, `${want.size} bargains`);
  t.is(report.bargains, want.size);
  t.deepEqual(await stored(knex), want);

  // Cases from the data: IGA sells kiwi fruit at $1.50 where another store asks $5.00; the top of the list is the biggest discount.
  const top = await listBargains(knex, { limit: 3 });
  t.like(top[0], { product: 'Green Kiwi Fruit', company: 'iga', minPrice: '1.50', maxPrice: '5.00', discount: '70.0' });
  t.true(top.every((b, i) => i === 0 || Number(top[i - 1]!.discount) >= Number(b.discount)));
});

test('stale prices never compete; the flags change the rule; a dry run stores nothing', async (t) => {
  const { knex, stores } = await realPrices(t);
  const recent = await generateBargains(knex, stores, bargainRule({ since: '1d' }));
  t.like(recent, { since: '2025-09-21', bargains: 0 }, 'only g147 was scraped on 09-21 or later: one price per product, nothing to compare');
  t.is((await stored(knex)).size, 0);

  const twoCompanies = await generateBargains(knex, stores, bargainRule({ minCompanies: 2 }));
  t.deepEqual(await stored(knex), await expected(knex, '2025-09-15', 2));
  t.true(twoCompanies.bargains > 0);

  const deep = await generateBargains(knex, stores, bargainRule({ minDiscount: '60' }));
  const all = await expected(knex, '2025-09-15');
  const sixty = [...all].filter(([, [, min, max]]) => (max - min) * 100 > 60 * max);
  t.is(deep.bargains, sixty.length);
  const capped = await generateBargains(knex, stores, bargainRule({ maxDiscount: '60' }));
  t.is(capped.bargains, all.size - sixty.length, 'the cap keeps discounts up to 60%');

  const before = await stored(knex);
  const dry = await generateBargains(knex, stores, bargainRule(), { dryRun: true });
  t.is(dry.bargains, all.size);
  t.deepEqual(await stored(knex), before);
  t.throws(() => bargainRule({ since: 'soon' }), { message: /--since soon is not a duration/ });
  t.throws(() => bargainRule({ minDiscount: '150' }), { message: /--min-discount 150 is not a percentage/ });
});

test('exactly 1.5 times is not a bargain (strict); the bargain goes to the cheapest store, the lower id on a tie', async (t) => {
  const { knex } = await testDatabase(t, { migrations: migrationsWith({ '@trolley/plugin-bargains': bargainsMigrations }) });
  await knex.raw(`insert into companies (name, display_name) values ('aldi', 'Aldi'), ('iga', 'IGA')`);
  await knex.raw(`insert into stores (company_id, store_id, last_scraped_date) select c.id, s, '2026-01-31' from companies c, unnest(array['A', 'B', 'C']) s`);
  await knex.raw(`insert into products (nnbs, name) values ('p1', 'One'), ('p2', 'Two'), ('p3', 'Three')`);
  const price = (product: string, store: number, dollars: string, date = '2026-01-31') =>
    knex.raw(`insert into prices (store_id, product_id, price, scraped_date) select ?, id, ?, ? from products where nnbs = ?`, [store, dollars, date, product]);
  await price('p1', 1, '2.00');
  await price('p1', 2, '3.00'); // exactly 1.5×: not a bargain
  await price('p2', 2, '2.00');
  await price('p2', 3, '2.00');
  await price('p2', 4, '3.01'); // ties at 2.00: store 2 (lower id) is credited
  await price('p3', 5, '1.00', '2026-01-01'); // stale: would make a bargain of p3
  await price('p3', 6, '4.00');
  const stores = [1, 2, 3, 4, 5, 6];
  const report = await generateBargains(knex, stores, bargainRule());
  t.is(report.bargains, 1);
  const p2 = Number((await knex.raw(`select id from products where nnbs = 'p2'`)).rows[0].id);
  t.deepEqual([...(await stored(knex))], [[p2, [2, 200, 301]]]);
});

test('readers see the old bargains or the new ones while they are replaced, never none', async (t) => {
  const { knex, stores } = await realPrices(t);
  await generateBargains(knex, stores, bargainRule());
  const counts: number[] = [];
  let done = false;
  const reader = (async () => {
    while (!done) counts.push(Number((await knex.raw(`select count(*)::int as n from bargains`)).rows[0].n));
  })();
  for (let i = 0; i < 3; i++) await generateBargains(knex, stores, bargainRule({ minDiscount: i % 2 === 0 ? '50' : '34' }));
  done = true;
  await reader;
  t.true(counts.length > 0);
  t.false(counts.includes(0), `counts seen: ${[...new Set(counts)].join(', ')}`);
});

test('the stored set is updated as a diff: a rerun over the same prices changes no row, a changed price replaces just its bargain', async (t) => {
  const { knex, stores } = await realPrices(t);
  const first = await generateBargains(knex, stores, bargainRule());
  t.true(first.bargains > 2);
  t.is(first.inserted, first.bargains);
  t.is(first.deleted, 0);
  const before = (await knex.raw(`select id, product_id, generated_at from bargains order by product_id`)).rows as Array<{ id: string; product_id: string; generated_at: Date }>;
  const again = await generateBargains(knex, stores, bargainRule());
  t.like(again, { bargains: first.bargains, inserted: 0, deleted: 0 });
  t.deepEqual((await knex.raw(`select id, product_id, generated_at from bargains order by product_id`)).rows, before, 'same rows, same ids, same generated_at');

  // The cheapest price of one bargain drops by a cent: that bargain alone is rewritten.
  const target = (await knex.raw(`select product_id, store_id from bargains order by product_id limit 1`)).rows[0] as { product_id: string; store_id: string };
  await knex.raw(`update prices set price = price - 0.01 where product_id = ? and store_id = ?`, [target.product_id, target.store_id]);
  const changed = await generateBargains(knex, stores, bargainRule());
  t.like(changed, { bargains: first.bargains, inserted: 1, deleted: 1 });
  const after = (await knex.raw(`select id, product_id from bargains order by product_id`)).rows as Array<{ id: string; product_id: string }>;
  t.deepEqual(
    after.filter((r) => String(r.product_id) !== String(target.product_id)).map((r) => String(r.id)),
    before.filter((r) => String(r.product_id) !== String(target.product_id)).map((r) => String(r.id)),
    'every other bargain row kept its id',
  );
});

test('through the CLI with the grouping plugin: a member store lists its anchor\'s bargains', async (t) => {
  const cli = cliSandbox(t, { database: 'server' });
  t.is((await cli.run(['import', ...ALDI_19, ...IGA])).code, 0);
  const maintain = await cli.run(['groups', 'maintain', '--json']);
  t.is(maintain.code, 0, maintain.stderr);
  const generated = await cli.run(['bargains', 'generate', '--json']);
  t.is(generated.code, 0, generated.stderr);
  const report = JSON.parse(generated.stdout) as { pricingStores: number; bargains: number };
  t.is(report.pricingStores, 3, 'one Aldi anchor and the two IGA stores');
  const listed = await cli.run(['bargains', 'list', '--store', 'G501', '--company', 'aldi', '--limit', '1000', '--json']);
  t.is(listed.code, 0, listed.stderr);
  const result = JSON.parse(listed.stdout) as { bargains: Array<{ storeId: number }>; readBy: Array<{ pricingStoreId: number }> };
  const anchor = result.readBy[0]!.pricingStoreId;
  t.true(result.bargains.every((b) => b.storeId === anchor));
  // The dearest price is another store's, not this store's former price: the table does not call it "was".
  const csv = (await cli.run(['bargains', 'list', '--store', 'G501', '--company', 'aldi', '--csv'])).stdout.trim().split('\n');
  t.is(csv[0], 'DISCOUNT,PRICE,STORE,DEAREST ELSEWHERE,PRODUCT');
  t.true(csv.length > 1 && csv.slice(1).every((row) => Number(row.split(',')[1]!.slice(1)) < Number(row.split(',')[3]!.slice(1))), csv.slice(0, 3).join(' | '));
  const unknown = await cli.run(['bargains', 'list', '--store', 'NOPE']);
  t.is(unknown.code, 3);
  t.regex(unknown.stderr, /No store NOPE is known/);
});
