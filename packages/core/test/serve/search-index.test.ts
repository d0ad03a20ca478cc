import test from 'ava';
import type { Knex } from 'knex';
import { searchProducts, type SearchQuery } from '../../src/search/product-search.js';
import { RING_SLOTS, SLOT_BYTES } from '../../src/search/query-ring.js';
import { LiveProductSearch, ProductSearchIndex, type SearchIndexData } from '../../src/search/search-index.js';
import { SearchThreads } from '../../src/search/search-threads.js';
import { TrigramDictionary, trigramsOf, TrigramTexts } from '../../src/search/trigram-score.js';
import { trigramSchema } from '../../src/search/trigram.js';
import { ALDI, fixtureDatabase, IGA, serveApi } from './helpers.js';

async function loadIndex(knex: Knex): Promise<ProductSearchIndex> {
  return knex.transaction(async (trx) => ProductSearchIndex.load(trx));
}

/** `count` products named from five descriptors and five nouns and a number, with barcodes: near-twins, as on the benchmark's catalogue. */
async function insertNearTwins(knex: Knex, count: number): Promise<void> {
  await knex.raw(`insert into products (nnbs, name, barcode)
    select 'p' || i, w[1 + i % 5] || ' ' || n[1 + (i / 5) % 5] || ' ' || i, (9300000000000 + i)::text
    from generate_series(1, ?) i, (select array['Short Cut', 'Streaky', 'Full Cream', 'Greek', 'Crunchy'] as w, array['Bacon', 'Milk', 'Yoghurt', 'Peanut Butter', 'Bread'] as n) a`, [count]);
}

/** How each promise settled, or 'hanging' when one has not within 20 s. */
async function settledWithin<T>(promises: Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>> | 'hanging'> {
  return Promise.race([Promise.allSettled(promises), new Promise<'hanging'>((resolve) => setTimeout(() => resolve('hanging'), 20_000).unref())]);
}

/** Every page of a query, walked with the cursor, from the database and from the index. */
async function walk(read: (query: SearchQuery) => Promise<unknown> | unknown, query: Omit<SearchQuery, 'after'>) {
  const pages: unknown[] = [];
  let after: SearchQuery['after'];
  for (let i = 0; i < 50; i++) {
    const page = (await read({ ...query, after })) as { items: unknown[]; last?: readonly [number, number] };
    pages.push(page.items);
    if (!page.last) break;
    after = page.last;
  }
  return pages;
}

test('the in-memory index answers every query exactly as the SQL search: same matches, scores, order and keyset pages', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const index = await loadIndex(knex);
  t.true(index.size > 100);
  const { rows } = await knex.raw(`select p.name, p.barcode, k.sku from products p join product_skus k on k.product_id = p.id order by p.id`);
  // Words of real names, some misspelt (a letter dropped, two swapped), short and long queries,
  // a barcode, a SKU, and text with no words.
  const queries = new Set<string>(['short cut bacon', 'bacn', 'shrt cut bacn', 'berg', 'milk', 'full cream milk 2l', 'a', '500g', 'choc', 'café', '!!', 'BERG Short Cut', 'x']);
  rows.forEach((r: { name: string; barcode: string | null; sku: string }, i: number) => {
    if (i % 7 !== 0) return;
    const words = r.name.split(/\s+/);
    queries.add(words.slice(0, 2).join(' '));
    const word = words[0]!;
    if (word.length > 3) queries.add(word.slice(0, 2) + word.slice(3));
    if (word.length > 3) queries.add(word[1]! + word[0]! + word.slice(2) + ' ' + (words[1] ?? ''));
    if (r.barcode) queries.add(r.barcode);
    queries.add(r.sku);
  });
  let compared = 0;
  for (const q of queries) {
    const sql = await walk((query) => searchProducts(knex, query), { q, limit: 100 });
    const memory = await walk((query) => index.search(query), { q, limit: 100 });
    t.deepEqual(memory, sql, `query ${JSON.stringify(q)}`);
    compared++;
  }
  t.true(compared > 50, `${compared} queries compared`);
  // Filters, limits and cursors; and pages are kept per copy: asked again, and asked with only a
  // filter or the cursor different, each is still its own query's page.
  for (const query of [
    { q: 'bacon', limit: 3 },
    { q: 'bacon', company: 'iga', limit: 5 },
    { q: 'milk', company: 'ALDI', limit: 4 },
    { q: '', limit: 50 },
    { q: '', company: 'aldi', limit: 40 },
    { q: 'milk', category: 'dairy', limit: 10 },
    { q: '', category: 'Meat', limit: 25 },
    { q: 'cheese', category: '%_%', limit: 10 },
    { q: 'bread', company: 'coles', limit: 10 },
    { q: 'bacon', limit: 5 },
    { q: 'bacon', company: 'iga', limit: 5 },
    { q: 'bacon', company: 'aldi', limit: 5 },
    { q: 'milk', limit: 10 },
    { q: 'milk', category: 'dairy', limit: 10 },
    { q: 'bacon', limit: 5 },
  ]) {
    const sql = await walk((q) => searchProducts(knex, q), query);
    t.deepEqual(await walk((q) => index.search(q), query), sql, `first ${JSON.stringify(query)}`);
    t.deepEqual(await walk((q) => index.search(q), query), sql, `again ${JSON.stringify(query)}`);
  }
  t.notDeepEqual(index.search({ q: 'bacon', company: 'iga', limit: 5 }).items, index.search({ q: 'bacon', company: 'aldi', limit: 5 }).items);
});

test('on a catalogue of many near-twins (the benchmark\'s shape: every word query ties on word similarity across hundreds of products), pages agree with the SQL search', async (t) => {
  const knex = await fixtureDatabase(t, []);
  await knex.raw(`insert into brands (key, name) select lower(b), b from unnest(array['Berg', 'Bega', 'Heinz', 'Tip Top']) b`);
  await knex.raw(`insert into products (nnbs, name, brand_id, barcode)
    select 'p' || i, w[1 + i % 5] || ' ' || n[1 + (i / 5) % 5] || ' ' || z[1 + (i / 25) % 4] || ' ' || i, 1 + i % 4, (9300000000000 + i)::text
    from generate_series(1, 2000) i, (select array['Short Cut', 'Streaky', 'Full Cream', 'Greek', 'Crunchy'] as w, array['Bacon', 'Milk', 'Yoghurt', 'Peanut Butter', 'Bread'] as n, array['500g', '1kg', '2L', '6 Pack'] as z) a`);
  const index = await loadIndex(knex);
  // The trigrams of a word no other word has (`bac`, `aco`, `con`) are on the same products: their
  // list is kept once, and a query reads it once for all of them.
  const { trigrams, lists, bitmaps } = index.postingLists;
  // The lists of a 32nd of the products or more are bitmaps too: a candidate's count of the query's
  // trigrams on the lists not read is looked up in them (a wrong count here changes the pages below).
  t.true(bitmaps > 20 && bitmaps < lists / 2, `${bitmaps} bitmaps of ${lists} lists`);
  // Measured 1,234 lists for 1,311 trigrams (the numbers' trigrams mostly differ); before, one list a trigram.
  t.true(lists <= trigrams - 50, `${lists} posting lists for ${trigrams} trigrams`);
  // The last four as the benchmark's all-distinct line asks (brand, descriptor, noun, size): many
  // candidates, so the search reads further posting lists to tighten their bounds before scoring.
  for (const q of ['short cut bacon', 'bacn', 'full cream milk', 'peanut buttr', 'berg', 'greek yoghurt 1kg', '500g', 'crunchy', '9300000000042', 'berg short cut bacon 500g', 'heinz greek milk 2l', 'tip top crunchy bred 6 pack', 'bega streaky peanut butter 1kg']) {
    for (const limit of [7, 100]) {
      const sql = await walk((query) => searchProducts(knex, query), { q, limit });
      t.deepEqual(await walk((query) => index.search(query), { q, limit }), sql, `${q} by ${limit}`);
      t.true((sql as unknown[][]).flat().length > 0, q);
    }
  }
});

for (const [how, threads] of [['in place', {}], ['on worker threads', { threads: 2, threadsFrom: 1 }]] as const) {
test(`a live search reads the catalogue again once it changes, and not before (${how})`, async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const live = new LiveProductSearch(knex, { checkEveryMs: 0, ...threads });
  t.teardown(() => live.close());
  await live.ready();
  t.is(await live.threadsSearching(), 'threads' in threads ? 2 : 0);
  const find = async () => (await live.search({ q: 'zzyzx marmalade', limit: 5 })).items.map((h) => h.name);
  t.deepEqual(await find(), []);
  // An open transaction's product is not searchable, and neither after it rolls back.
  await knex.transaction(async (trx) => {
    await trx.raw(`insert into products (nnbs, name) values ('zzyzx lemon marmalade', 'Zzyzx Lemon Marmalade')`);
    for (let i = 0; i < 5; i++) t.deepEqual(await find(), []);
    await trx.rollback();
  }).catch(() => undefined);
  await knex.raw(`insert into brands (key, name) values ('zzyzx', 'Zzyzx')`);
  await knex.raw(`insert into products (nnbs, name, brand_id) select 'zzyzx orange marmalade', 'Orange Marmalade', id from brands where key = 'zzyzx'`);
  // A change shows within about 2 s plus the reading; on the embedded database at a load of 20 the
  // reading alone took several seconds, so each wait allows 30 s.
  const deadline = Date.now() + 30_000;
  let names: string[] = [];
  while (Date.now() < deadline && names.length === 0) {
    names = await find();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.deepEqual(names, ['Orange Marmalade']);
  await knex.raw(`update products set name = 'Orange Jam' where nnbs = 'zzyzx orange marmalade'`);
  const renamed = Date.now() + 30_000;
  while (Date.now() < renamed && names.length > 0) {
    names = await find();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.deepEqual(names, [], 'a renamed product no longer matches its old name');
  t.deepEqual((await live.search({ q: 'zzyzx jam', limit: 5 })).items.map((h) => h.name), ['Orange Jam']);
});
}

test('on worker threads, a live search answers every page as the index in place does, and stops its threads on close', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  await insertNearTwins(knex, 1500);
  const index = await loadIndex(knex);
  const small = new LiveProductSearch(knex, { threads: 2 });
  t.teardown(() => small.close());
  await small.ready();
  t.is(await small.threadsSearching(), 0, 'a catalogue below the threshold is searched in place');
  const live = new LiveProductSearch(knex, { threads: 2, threadsFrom: 1000 });
  await live.ready();
  t.is(await live.threadsSearching(), 2);
  let compared = 0;
  for (const q of ['short cut bacon', 'bacn', 'berg', 'greek yoghurt', 'crunchy peanut buttr', '9300000000042', '', 'zzz']) {
    for (const query of [{ q, limit: 7 }, { q, limit: 50, company: 'aldi' }, { q, limit: 20, category: 'dairy' }]) {
      // Asked twice: the second answer is the page kept from the first (found on a thread).
      for (let again = 0; again < 2; again++) t.deepEqual(await walk((page) => live.search(page), query), await walk((page) => index.search(page), query), `${JSON.stringify(query)} (${again})`);
      compared++;
    }
  }
  // Many at once, more than the shared queue's slots (the rest go to a thread as messages), are
  // spread over the threads and each gets its own page; so does a query too large for a slot.
  const queries = Array.from({ length: 2 * RING_SLOTS + 40 }, (_, i) => ({ q: `${['short', 'greek', 'crunchy', 'full'][i % 4]} ${['bacon', 'milk', 'bread'][i % 3]} ${i}`, limit: 5 }));
  queries.push({ q: `${'crunchy bacon '.repeat(SLOT_BYTES / 10)}`, limit: 5 });
  t.deepEqual(await Promise.all(queries.map((q) => live.search(q))), queries.map((q) => index.search(q)));
  t.true(compared >= 24);
  await live.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(await live.threadsSearching(), 0, 'closing stops the threads');
  // With no thread left, queries are scored in place, with the same pages.
  t.deepEqual(await live.search({ q: 'crunchy bred', limit: 9 }), index.search({ q: 'crunchy bred', limit: 9 }));
});

test('on a search thread busy with a queue of queries, a query put after a new catalogue is searched in that catalogue', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const before = await loadIndex(knex);
  await knex.raw(`insert into products (nnbs, name) values ('zzyzx lemon marmalade', 'Zzyzx Lemon Marmalade')`);
  const after = await loadIndex(knex);
  const threads = new SearchThreads(1);
  t.teardown(() => threads.close());
  threads.load(before.toData());
  const find = { q: 'zzyzx marmalade', limit: 5 };
  t.deepEqual((await threads.page(find)).items, []);
  // A queue longer than the ring (the rest go as messages), then the new catalogue, then the query.
  const busy = Array.from({ length: RING_SLOTS + 50 }, (_, i) => threads.page({ q: `bacon ${i}`, limit: 5 }));
  threads.load(after.toData());
  const found = threads.page(find);
  t.deepEqual((await found).items.map((h) => h.name), ['Zzyzx Lemon Marmalade']);
  t.is((await Promise.all(busy)).length, RING_SLOTS + 50);
});

test('when the search threads stop, every query waiting for them fails and none is left hanging', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  const index = await loadIndex(knex);
  const threads = new SearchThreads(2);
  t.teardown(() => threads.close());
  threads.load(index.toData());
  t.true((await threads.page({ q: 'bacon', limit: 3 })).items.length > 0);
  const early = Array.from({ length: 40 }, (_, i) => threads.page({ q: `milk ${i}`, limit: 5 }));
  // A catalogue a thread cannot read stops it, whether it is waiting or between queries.
  threads.load({} as SearchIndexData);
  const late = Array.from({ length: 40 }, (_, i) => threads.page({ q: `cheese ${i}`, limit: 5 }));
  const settled = await settledWithin([...early, ...late]);
  if (settled === 'hanging') return t.fail('a query was left waiting for a thread that stopped');
  t.true(settled.slice(40).every((s) => s.status === 'rejected'), 'a query put after the catalogue that stopped the threads is not answered from the old one');
  t.is(threads.alive, 0);
  await t.throwsAsync(threads.page({ q: 'bacon', limit: 3 }), { message: /no search thread/ });
});

test('when one search thread stops in the middle of a queue, the query it held fails and the other thread answers the rest', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI]);
  // Near-twin names, so that each query takes a while and a thread is mostly in the middle of one.
  await insertNearTwins(knex, 6000);
  const index = await loadIndex(knex);
  const threads = new SearchThreads(2);
  t.teardown(() => threads.close());
  threads.load(index.toData());
  t.true((await threads.page({ q: 'bacon', limit: 3 })).items.length > 0);
  const queries = Array.from({ length: RING_SLOTS - 6 }, (_, i) => ({ q: `${['short cut', 'greek', 'crunchy', 'full cream'][i % 4]} ${['bacon', 'milk', 'bread'][i % 3]} ${i}`, limit: 20 }));
  const pages = queries.map((query) => threads.page(query));
  // Stopped from outside once it holds a query from the queue (the threads and their cells are private).
  const inside = threads as unknown as { threads: Array<{ worker: { terminate(): Promise<number> } }>; holding: Int32Array };
  const giveUp = Date.now() + 10_000;
  while (Atomics.load(inside.holding, 0) < 0 && Date.now() < giveUp) await new Promise((resolve) => setImmediate(resolve));
  if (Atomics.load(inside.holding, 0) < 0) return t.fail('the first thread never held a query from the queue');
  await inside.threads[0]!.worker.terminate();
  const settled = await settledWithin(pages);
  if (settled === 'hanging') return t.fail('a query was left waiting after a thread stopped');
  const failed = settled.filter((s) => s.status === 'rejected').length;
  t.true(failed <= 1, `only the query the stopped thread held fails (${failed} failed)`);
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') t.deepEqual(s.value, index.search(queries[i]!));
  });
  t.is(threads.alive, 1);
  t.deepEqual(await threads.page({ q: 'crunchy bred', limit: 9 }), index.search({ q: 'crunchy bred', limit: 9 }));
});

test('the server answers search from memory: the API and the SQL search agree', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA]);
  const api = await serveApi(t, knex);
  for (const q of ['short cut bacon', 'bacn', 'berg']) {
    const body = (await api.get<{ items: unknown[] }>(`/api/products?q=${encodeURIComponent(q)}&limit=30`)).body;
    t.deepEqual(body.items, (await searchProducts(knex, { q, limit: 30 })).items, q);
  }
});

test('word similarity in memory is pg_trgm\'s word_similarity, score for score, on texts whose trigrams repeat and scatter (the scan stops early)', async (t) => {
  const knex = await fixtureDatabase(t, []);
  const trgm = await trigramSchema(knex);
  // Product-like texts: words that share trigrams (banana, bandana, nana; orange, range), repeated
  // words and numbers (runs of trigrams no query has, which the scan's windows must shed); queries
  // of a text's neighbouring words, some with a letter dropped, some with a word the text lacks.
  // A fixed seed, so a failure repeats.
  let seed = 12345;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const vocabulary = ['bacon', 'short', 'cut', 'streaky', 'banana', 'bandana', 'nana', 'milk', 'full', 'cream', 'orange', 'range', '500g', '2l'];
  const word = () => (next(4) === 0 ? String(next(100000)) : vocabulary[next(vocabulary.length)]!);
  const textsAsked = Array.from({ length: 400 }, () => Array.from({ length: 1 + next(8) }, word).join(' '));
  const queries = Array.from({ length: 40 }, () => {
    const words = textsAsked[next(textsAsked.length)]!.split(' ');
    const from = next(words.length);
    const picked = words.slice(from, from + 1 + next(3));
    if (next(2)) picked.push(word());
    return picked.map((w) => (w.length > 3 && next(3) === 0 ? w.slice(0, 1) + w.slice(2) : w)).join(' ');
  });
  const dictionary = new TrigramDictionary();
  const texts = new TrigramTexts();
  for (const text of textsAsked) texts.add(trigramsOf(text, 'ascii').map((g) => dictionary.add(g)));
  let compared = 0;
  let positive = 0;
  for (const q of queries) {
    const distinct = new Set(trigramsOf(q, 'ascii'));
    const inQuery = new Uint8Array(dictionary.size);
    for (const g of distinct) if (dictionary.find(g) >= 0) inQuery[dictionary.find(g)] = 1;
    const { rows } = await knex.raw<{ rows: Array<{ w: number | string }> }>(`select ${trgm}.word_similarity(?, x) as w from unnest(?::text[]) with ordinality u(x, n) order by n`, [q, textsAsked]);
    rows.forEach((r, i) => {
      const expected = Math.fround(Number(r.w));
      t.is(texts.wordSimilarity(i, inQuery, distinct.size), expected, `${JSON.stringify(q)} in ${JSON.stringify(textsAsked[i])}`);
      compared++;
      if (expected > 0) positive++;
    });
  }
  t.is(compared, 400 * 40);
  t.true(positive > 2000, `${positive} pairs with a word similarity above 0`);
});
