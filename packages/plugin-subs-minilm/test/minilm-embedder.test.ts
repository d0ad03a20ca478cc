import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMiniLmEmbedder, ModelUnavailableError } from '../src/minilm-embedder.js';
import { MINILM_REPO, modelSettings } from '../src/model-settings.js';
import { cosine, normaliseInPlace } from '@trolley/plugin-subs/dist/src/embeddings/vectors.js';
import { tinyModelFolder } from './helpers/model-folder.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

// Nothing may leave the machine: every fetch transformers.js attempts is recorded and refused.
const fetches: string[] = [];
test.before(async () => {
  const { env } = await import('@huggingface/transformers');
  env.fetch = (async (url: string) => {
    fetches.push(String(url));
    throw new Error(`network access in a test: ${String(url)}`);
  }) as typeof env.fetch;
});

test.serial('minilm runs end to end on a generated ONNX model with the real tokenizer: 384-d, norm 1, mean pooling over the attention mask', async (t) => {
  const folder = tinyModelFolder(t);
  const embedder = createMiniLmEmbedder({ modelDir: folder.dir, allowDownload: false });
  t.true(embedder.availability().available);
  t.is(embedder.dimensions, 384);
  t.is(embedder.threshold, 0.75);

  const texts = ['short cut bacon', 'Short Cut Bacon', 'fresh milk', 'short cut bacon'];
  const vectors = await embedder.embed(texts);
  t.is(vectors.length, 4);
  for (const v of vectors) {
    t.is(v.length, 384);
    t.true(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
  }
  // Lower-casing tokenizer (do_lower_case): the two spellings are one token sequence.
  t.true(cosine(vectors[0]!, vectors[1]!) > 1 - 1e-6);
  t.true(cosine(vectors[0]!, vectors[3]!) > 1 - 1e-6, 'identical texts: cosine 1');
  t.true(cosine(vectors[0]!, vectors[2]!) < 0.999);

  // Independently: [CLS] short cut bacon [SEP] looked up in vocab.txt, each token's output row
  // averaged (the mask covers all five), then normalised.
  const ids = ['[CLS]', 'short', 'cut', 'bacon', '[SEP]'].map((token) => folder.vocab.indexOf(token));
  t.false(ids.includes(-1));
  const expected = new Float32Array(384);
  for (const id of ids) folder.model.tokenVector(id).forEach((x, i) => (expected[i] = expected[i]! + x / ids.length));
  normaliseInPlace(expected);
  const max = Math.max(...expected.map((x, i) => Math.abs(x - vectors[0]![i]!)));
  t.true(max < 1e-5, `largest difference from the hand-computed vector ${max}`);
  t.deepEqual(fetches, []);
});

test.serial('minilm vectors do not depend on batching or on the padding of longer texts in the same batch; two loads give the same vectors', async (t) => {
  const folder = tinyModelFolder(t);
  const first = createMiniLmEmbedder({ modelDir: folder.dir, allowDownload: false });
  const alone = (await first.embed(['Short Cut Bacon 500g']))[0]!;
  // 70 texts: three batches of the embedder, the target in the second next to much longer texts.
  const texts = Array.from({ length: 70 }, (_, i) => `Imperial Grain Microwave Rice Pouch Basmati ${i} ${'extra long words '.repeat(i % 7)}`);
  texts[40] = 'Short Cut Bacon 500g';
  const batched = await first.embed(texts);
  t.is(batched.length, 70);
  const drift = Math.max(...alone.map((x, i) => Math.abs(x - batched[40]![i]!)));
  t.true(drift < 1e-5, `the padded copy differs by ${drift}`);
  const second = createMiniLmEmbedder({ modelDir: folder.dir, allowDownload: false });
  t.deepEqual([...(await second.embed(['Short Cut Bacon 500g']))[0]!], [...alone], 'deterministic');
  t.deepEqual(fetches, []);
});

test.serial('without weights and without the download switch minilm is unavailable, says why and how to fix it, and fetches nothing', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-no-models-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const embedder = createMiniLmEmbedder({ modelDir: dir, allowDownload: false });
  const { available, reason } = embedder.availability();
  t.false(available);
  t.regex(reason, /TROLLEY_MODEL_DOWNLOAD=1/);
  const error = await t.throwsAsync(embedder.embed(['milk']), { instanceOf: ModelUnavailableError });
  t.regex(error!.message, new RegExp(`${MINILM_REPO}.*model_quantized\\.onnx.*--embedder use-lite`));
  t.is((error as ModelUnavailableError).exitCode, 3);
  t.deepEqual(fetches, []);
  t.true(createMiniLmEmbedder({ modelDir: dir, allowDownload: true }).availability().available, 'the switch makes it downloadable');
});

test('model settings: TROLLEY_MODEL_DIR beats <home>/models; TROLLEY_MODEL_DOWNLOAD=1 is the only way to allow downloads', (t) => {
  t.deepEqual(modelSettings('/h', {}), { modelDir: path.resolve('/h/models'), allowDownload: false });
  t.deepEqual(modelSettings('/h', { TROLLEY_MODEL_DIR: '/m', TROLLEY_MODEL_DOWNLOAD: '1' }), { modelDir: path.resolve('/m'), allowDownload: true });
  t.false(modelSettings('/h', { TROLLEY_MODEL_DOWNLOAD: '0' }).allowDownload);
});
