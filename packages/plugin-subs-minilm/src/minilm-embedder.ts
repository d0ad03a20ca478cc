/**
 * `minilm`: sentence-transformers' all-MiniLM-L6-v2 through transformers.js (quantised ONNX, mean
 * pooling over the attention mask, L2-normalised, 384 dimensions). transformers.js and
 * onnxruntime-node are imported on first use only, and the model is loaded once per embedder
 * instance (the registry creates one per invocation).
 */
import path from 'node:path';
import type { CheckedEmbedder } from '@trolley/plugin-subs/dist/src/embeddings/availability.js';
import { MINILM_REPO, missingMiniLmFiles, type ModelSettings } from './model-settings.js';

export const MINILM_DIMENSIONS = 384;
export const MINILM_THRESHOLD = 0.75;
const BATCH = 32;

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array | number[]; dims: number[]; dispose?(): void }>;

/** Duck-typed as a trolley input error (exit code 3): the CLI prints the message, which says the fix. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
  readonly code = 'model-unavailable';
  readonly exitCode = 3;
}

export function createMiniLmEmbedder(settings: ModelSettings): CheckedEmbedder {
  let extractor: Promise<Extractor> | undefined;
  const load = async (): Promise<Extractor> => {
    const missing = missingMiniLmFiles(settings.modelDir);
    if (missing.length > 0 && !settings.allowDownload) {
      throw new ModelUnavailableError(
        `The minilm weights are not in ${path.join(settings.modelDir, MINILM_REPO)} (missing ${missing.join(', ')}); put them there, set TROLLEY_MODEL_DOWNLOAD=1 to let trolley download them once, or use --embedder use-lite.`,
      );
    }
    const { env, pipeline } = await import('@huggingface/transformers');
    env.localModelPath = settings.modelDir;
    env.allowLocalModels = true;
    // Downloads (when allowed) land where the local loader looks next time: <modelDir>/<repo>/<file>.
    env.cacheDir = settings.modelDir;
    env.useFSCache = true;
    env.allowRemoteModels = settings.allowDownload;
    const created = await pipeline('feature-extraction', MINILM_REPO, { dtype: 'q8', device: 'cpu', local_files_only: !settings.allowDownload });
    return created as unknown as Extractor;
  };
  return {
    id: 'minilm',
    modelId: `${MINILM_REPO}@q8`,
    dimensions: MINILM_DIMENSIONS,
    threshold: MINILM_THRESHOLD,
    availability() {
      const missing = missingMiniLmFiles(settings.modelDir);
      if (missing.length === 0) return { available: true, reason: `its weights are in ${settings.modelDir}` };
      if (settings.allowDownload) return { available: true, reason: `its weights are not in ${settings.modelDir} and TROLLEY_MODEL_DOWNLOAD=1 allows downloading them` };
      return { available: false, reason: `its weights are not in ${settings.modelDir} and downloads are off (TROLLEY_MODEL_DOWNLOAD=1 allows them)` };
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      extractor ??= load();
      const run = await extractor.catch((error: unknown) => {
        extractor = undefined;
        throw error;
      });
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        const batch = texts.slice(start, start + BATCH);
        const output = await run(batch, { pooling: 'mean', normalize: true });
        const [rows, width] = output.dims;
        if (rows !== batch.length || width !== MINILM_DIMENSIONS) {
          throw new Error(`minilm returned a ${output.dims.join('×')} tensor for ${batch.length} texts; expected ${batch.length}×${MINILM_DIMENSIONS} (is ${settings.modelDir}/${MINILM_REPO} the right model?)`);
        }
        const data = Float32Array.from(output.data);
        for (let r = 0; r < rows; r++) vectors.push(data.slice(r * width, (r + 1) * width));
        output.dispose?.();
      }
      return vectors;
    },
  };
}
