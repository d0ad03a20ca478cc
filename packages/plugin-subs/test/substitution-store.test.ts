import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import type { SubstitutionPair } from '@trolley/core';
import { migrationsWith, testDatabase } from '@trolley/core/testing';
import { subsMigrations } from '../src/migrations.js';
import { SubstitutionStore } from '../src/storage/substitution-store.js';
import { strongestPerPair } from '../src/storage/pair-record.js';

async function withProducts(t: ExecutionContext, n: number): Promise<Knex> {
  const { knex } = await testDatabase(t, { migrations: migrationsWith({ '@trolley/plugin-subs': subsMigrations }) });
  await knex.raw(`insert into products (nnbs, name) select 'p' || i, 'Product ' || i from generate_series(1, ?) as i`, [n]);
  return knex;
}

const stored = async (knex: Knex) =>
  (await knex.raw(`select product_a as a, product_b as b, level, score from substitutions order by 1, 2`)).rows.map((r: Record<string, unknown>) => ({
    a: Number(r.a),
    b: Number(r.b),
    level: Number(r.level),
    score: Number(r.score),
  }));

const pair = (a: number, b: number, level: number, score: number): SubstitutionPair => ({ a, b, level, score });

test('the strongest level wins per unordered pair; at one level the better score', (t) => {
  t.deepEqual(strongestPerPair([pair(1, 2, 3, 0.9), pair(1, 2, 1, 1), pair(2, 3, 4, 0.8), pair(2, 3, 4, 0.85), pair(1, 2, 2, 0.95)]), [pair(1, 2, 1, 1), pair(2, 3, 4, 0.85)]);
});

test('a run is stored as a diff: new inserted, changed updated, gone deleted; the same run again changes no row', async (t) => {
  const knex = await withProducts(t, 6);
  const store = new SubstitutionStore(knex);
  const first = await store.apply([pair(1, 2, 1, 1), pair(3, 4, 2, 0.95), pair(5, 6, 2, 0.95)], [1, 2]);
  t.like(first, { inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
  const before = await knex.raw(`select product_a, product_b, generated_at::text from substitutions order by 1, 2`);

  const again = await store.apply([pair(1, 2, 1, 1), pair(3, 4, 2, 0.95), pair(5, 6, 2, 0.95)], [1, 2]);
  t.like(again, { inserted: 0, updated: 0, unchanged: 3, deleted: 0 });
  t.deepEqual((await knex.raw(`select product_a, product_b, generated_at::text from substitutions order by 1, 2`)).rows, before.rows, 'no row was rewritten');

  const next = await store.apply([pair(1, 2, 1, 1), pair(3, 4, 1, 1), pair(2, 5, 2, 0.95)], [1, 2]);
  t.like(next, { inserted: 1, updated: 1, unchanged: 1, deleted: 1 });
  t.deepEqual(await stored(knex), [pair(1, 2, 1, 1), pair(2, 5, 2, 0.95), pair(3, 4, 1, 1)]);
});

test('only the levels that ran are replaced; a stronger stored level that did not run is kept', async (t) => {
  const knex = await withProducts(t, 6);
  const store = new SubstitutionStore(knex);
  await store.apply([pair(1, 2, 1, 1), pair(3, 4, 2, 0.95)], [1, 2]);
  const semantic = await store.apply([pair(1, 2, 3, 0.8), pair(5, 6, 3, 0.9)], [3]);
  t.like(semantic, { inserted: 1, keptStronger: 1, deleted: 0 });
  t.deepEqual(await stored(knex), [pair(1, 2, 1, 1), pair(3, 4, 2, 0.95), pair(5, 6, 3, 0.9)], 'LVL1 and LVL2 pairs stay when only LVL3 ran');
  const weaker = await store.apply([pair(3, 4, 3, 0.7)], [2, 3]);
  t.like(weaker, { updated: 1, deleted: 1 });
  t.deepEqual(await stored(knex), [pair(1, 2, 1, 1), pair(3, 4, 3, 0.7)], 'LVL2 ran and no longer pairs 3–4: LVL3 holds it; 5–6 went');
});

test('pairs naming unknown products are skipped and counted; a dry run changes nothing', async (t) => {
  const knex = await withProducts(t, 3);
  const store = new SubstitutionStore(knex);
  const dry = await store.apply([pair(1, 2, 1, 1), pair(2, 99, 1, 1)], [1], { dryRun: true });
  t.like(dry, { inserted: 1, unknownProducts: 1 });
  t.deepEqual(await stored(knex), []);
  await store.apply([pair(1, 2, 1, 1), pair(2, 99, 1, 1)], [1]);
  t.deepEqual(await stored(knex), [pair(1, 2, 1, 1)]);
  t.deepEqual(
    (await store.substitutesOf(2, 5)).map((s) => [s.productId, s.level]),
    [[1, 1]],
  );
});
