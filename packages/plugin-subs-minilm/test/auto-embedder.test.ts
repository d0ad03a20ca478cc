import test from 'ava';
import { EXTENSION_API_VERSION, Tokens, readCatalogue, type SubstitutionGenerator } from '@trolley/core';
import registerSubs from '@trolley/plugin-subs/dist/src/hooks/register.js';
import { resolveEmbedder } from '@trolley/plugin-subs/dist/src/embeddings/resolve-embedder.js';
import { testKernel } from '@trolley/plugin-subs/dist/test/helpers/kernel.js';
import { writeCatalogue } from '@trolley/plugin-subs/dist/test/helpers/catalogue.js';
import registerMiniLm from '../src/hooks/register.js';
import { tinyModelFolder } from './helpers/model-folder.js';

const kernel = { kernel: { apiVersion: EXTENSION_API_VERSION, tokens: Tokens } };
const declarations = async () => [...(await registerSubs(kernel)), ...(await registerMiniLm(kernel))];

const CATEGORIES = [
  { key: 'A-milk', company: 'aldi', name: 'Milk' },
  { key: 'I-milk', company: 'iga', name: 'Milk' },
];
const PRODUCTS = [
  { key: 'p1', name: 'Full Cream Milk 2L', categories: ['A-milk', 'I-milk'] },
  { key: 'p2', name: 'Full Cream Milk 1L', categories: ['A-milk'] },
  { key: 'p3', name: 'Chocolate Flavoured Milk', categories: ['A-milk'] },
  { key: 'p6', name: 'Full Cream Milk 3L', categories: ['I-milk'] },
];

test('with this plugin installed, --embedder auto takes minilm when its weights are in <home>/models; lvl3 then runs on it and caches under its model id', async (t) => {
  const folder = tinyModelFolder(t, 'models');
  const k = await testKernel(t, await declarations(), folder.home);
  t.deepEqual(k.registry.list('Embedder').map((e) => e.id).sort(), ['minilm', 'use-lite']);
  await writeCatalogue(k.knex, CATEGORIES, PRODUCTS);
  const lvl3 = (await k.registry.get('SubstitutionGenerator', 'lvl3', k.services.container)) as SubstitutionGenerator;
  await lvl3.generate(await readCatalogue(k.knex), { embedder: 'auto' });
  t.regex(k.logs.find((l) => l.startsWith('embedder auto'))!, /^embedder auto → minilm \(minilm: its weights are in .*models\)$/);
  const models = await k.knex('embeddings').distinct('model_id', 'dimensions');
  t.deepEqual(models.map((m) => ({ model_id: m.model_id, dimensions: Number(m.dimensions) })), [{ model_id: 'Xenova/all-MiniLM-L6-v2@q8', dimensions: 384 }]);
});

test('with this plugin installed but no weights and downloads off, --embedder auto falls back to use-lite offline and says why in one line', async (t) => {
  const k = await testKernel(t, await declarations(), '/nonexistent-trolley-home');
  const chosen = await resolveEmbedder(k.services, 'auto');
  t.is(chosen.id, 'use-lite');
  const lines = k.logs.filter((l) => l.startsWith('embedder auto'));
  t.is(lines.length, 1);
  t.regex(lines[0]!, /^embedder auto → use-lite \(not minilm: its weights are not in \/nonexistent-trolley-home\/models and downloads are off \(TROLLEY_MODEL_DOWNLOAD=1 allows them\); use-lite: its weights ship in @energetic-ai\/model-embeddings-en\)$/);
});
