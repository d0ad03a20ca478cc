import test from 'ava';
import { embedWithCache, textHash } from '../src/embeddings/embedding-cache.js';
import { bagOfWordsEmbedder, testKernel } from './helpers/kernel.js';

test('each distinct text is embedded once per model, in batches with a progress line; a re-run embeds nothing; vectors come back bit for bit', async (t) => {
  const { knex, progress } = await testKernel(t);
  const embedder = bagOfWordsEmbedder();
  const texts = Array.from({ length: 150 }, (_, i) => `product ${i} ${i % 3 === 0 ? 'milk' : 'bread'}`);
  const first = await embedWithCache(knex, embedder, [...texts, ...texts.slice(0, 10)], { progress, batch: 64 });
  t.like(first, { texts: 150, cached: 0, embedded: 150 });
  t.deepEqual(embedder.calls.map((c) => c.length), [64, 64, 22]);
  t.is(progress.tasks.length, 1);
  t.like(progress.tasks[0], { total: 150, ticks: 150, done: true });
  t.regex(progress.tasks[0]!.label, /150 new text\(s\) with bow/);

  embedder.calls.length = 0;
  const again = await embedWithCache(knex, embedder, texts, { progress });
  t.like(again, { texts: 150, cached: 150, embedded: 0 });
  t.deepEqual(embedder.calls, [], 're-run embeds nothing');
  t.is(progress.tasks.length, 1, 'and shows no progress line');
  for (const text of texts) t.deepEqual([...again.vectors.get(text)!], [...first.vectors.get(text)!]);

  const renamed = await embedWithCache(knex, embedder, [...texts.slice(1), 'a renamed product']);
  t.like(renamed, { cached: 149, embedded: 1 });
  t.deepEqual(embedder.calls, [['a renamed product']]);
  const rows = await knex('embeddings').where({ model_id: embedder.modelId }).count<{ n: string | number }[]>('* as n');
  t.is(Number(rows[0]!.n), 151);
});

test('vectors are keyed by model id: another model never reads them', async (t) => {
  const { knex } = await testKernel(t);
  const small = bagOfWordsEmbedder({ dimensions: 16 });
  const large = bagOfWordsEmbedder({ dimensions: 32 });
  await embedWithCache(knex, small, ['milk', 'bread']);
  const other = await embedWithCache(knex, large, ['milk', 'bread']);
  t.like(other, { cached: 0, embedded: 2 });
  t.is(other.vectors.get('milk')!.length, 32);
  const keys = await knex('embeddings').select('model_id', 'text_hash').orderBy(['model_id', 'text_hash']);
  t.deepEqual(
    keys,
    [small, large].flatMap((e) => ['bread', 'milk'].map((text) => ({ model_id: e.modelId, text_hash: textHash(text) }))).sort((a, b) => (a.model_id + a.text_hash).localeCompare(b.model_id + b.text_hash)),
  );
});
