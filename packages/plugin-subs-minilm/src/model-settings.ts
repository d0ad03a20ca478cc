/**
 * Where the MiniLM weights live and whether they may be downloaded. Both come from the
 * environment, so the same settings serve the CLI, the tests and the benchmark:
 * - `TROLLEY_MODEL_DIR`: the model folder (default `<TROLLEY_HOME or data dir>/models`). The
 *   layout is transformers.js's: `<dir>/Xenova/all-MiniLM-L6-v2/{config.json, tokenizer.json,
 *   tokenizer_config.json, onnx/model_quantized.onnx}`.
 * - `TROLLEY_MODEL_DOWNLOAD=1`: let transformers.js download missing files from the Hugging Face
 *   hub into that folder (once). Off by default: nothing is fetched unless the user asks.
 */
import fs from 'node:fs';
import path from 'node:path';

export const MINILM_REPO = 'Xenova/all-MiniLM-L6-v2';
/** The files the quantised MiniLM pipeline reads, relative to `<model dir>/<repo>/`. */
export const MINILM_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'] as const;

export interface ModelSettings {
  readonly modelDir: string;
  readonly allowDownload: boolean;
}

export function modelSettings(home: string, env: NodeJS.ProcessEnv): ModelSettings {
  const dir = env.TROLLEY_MODEL_DIR?.trim();
  const download = env.TROLLEY_MODEL_DOWNLOAD?.trim().toLowerCase() ?? '';
  return {
    modelDir: path.resolve(dir ? dir : path.join(home, 'models')),
    allowDownload: ['1', 'true', 'yes', 'on'].includes(download),
  };
}

/** The MiniLM files missing from the model folder (empty: the weights are present). */
export function missingMiniLmFiles(modelDir: string): string[] {
  return MINILM_FILES.filter((file) => !fs.existsSync(path.join(modelDir, MINILM_REPO, file)));
}
