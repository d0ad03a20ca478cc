/** A temporary model folder in transformers.js's layout: the real MiniLM tokenizer and config beside a tiny generated ONNX model. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINILM_REPO } from '../../src/embeddings/model-settings.js';
import { tinyMiniLm, type TinyModel } from './tiny-onnx.js';

export const SHARED = fileURLToPath(new URL('../../../../../../shared/', import.meta.url));
export const REAL = path.join(SHARED, 'data/real/');
export const REAL_MINILM = path.join(SHARED, 'models/all-MiniLM-L6-v2/');

export interface ModelFolder {
  /** A home whose `models/` (or the given subfolder) is {@link dir}. */
  readonly home: string;
  readonly dir: string;
  readonly model: TinyModel;
  readonly vocab: string[];
}

export function tinyModelFolder(t: { teardown(fn: () => void): void }, subfolder = 'models'): ModelFolder {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-models-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const dir = path.join(home, subfolder);
  const repo = path.join(dir, MINILM_REPO);
  fs.mkdirSync(path.join(repo, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']) fs.copyFileSync(path.join(REAL_MINILM, file), path.join(repo, file));
  const vocab = fs.readFileSync(path.join(REAL_MINILM, 'vocab.txt'), 'utf8').split('\n');
  if (vocab.at(-1) === '') vocab.pop();
  const model = tinyMiniLm(vocab.length);
  fs.writeFileSync(path.join(repo, 'onnx', 'model_quantized.onnx'), model.bytes);
  return { home, dir, model, vocab };
}
