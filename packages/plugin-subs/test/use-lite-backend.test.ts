import test from 'ava';
import { afterBackendStarts, createUseLiteEmbedder } from '../src/embeddings/use-lite-embedder.js';

test('a call that meets the WebAssembly backend still starting waits for it and is made again, once; other errors pass through', async (t) => {
  let calls = 0;
  let readies = 0;
  const ready = async () => void readies++;
  const starting = async () => {
    if (calls++ === 0) throw new Error("Backend 'wasm' has not yet been initialized. Make sure to await tf.ready() or await tf.setBackend() before calling other methods");
    return 'embedded';
  };
  t.is(await afterBackendStarts(starting, ready), 'embedded');
  t.deepEqual([calls, readies], [2, 1]);
  calls = 0;
  const never = async () => {
    calls++;
    throw new Error("Backend 'wasm' has not yet been initialized.");
  };
  await t.throwsAsync(afterBackendStarts(never, ready), { message: /not yet been initialized/ });
  t.is(calls, 2, 'made again once, not in a loop');
  await t.throwsAsync(afterBackendStarts(async () => Promise.reject(new Error('out of memory')), ready), { message: 'out of memory' });
  t.is(readies, 2);
});

test('use-lite embeds through the retry wrapper: two embedders at once give unit vectors of 512', async (t) => {
  const [a, b] = await Promise.all([createUseLiteEmbedder().embed(['full cream milk 2l', 'white bread']), createUseLiteEmbedder().embed(['tasty cheese'])]);
  t.is(a.length, 2);
  t.is(b.length, 1);
  for (const v of [...a, ...b]) {
    t.is(v.length, 512);
    t.true(Math.abs(Math.hypot(...v) - 1) < 1e-4);
  }
});
