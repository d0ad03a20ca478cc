/** A temporary model folder in transformers.js's layout: the real MiniLM tokenizer and config beside a tiny generated ONNX model. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { MINILM_REPO } from '../../src/model-settings.js';
import { tinyMiniLm, type TinyModel } from './tiny-onnx.js';

/** The real all-MiniLM-L6-v2 tokenizer and config, kept in test/fixtures/minilm (its README says how). */
const MINILM_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/minilm/', import.meta.url));

/** The real vocabulary, one token a line; a token's id is its line number from 0. */
export function minilmVocab(): string[] {
  const vocab = gunzipSync(fs.readFileSync(path.join(MINILM_FIXTURE, 'vocab.txt.gz'))).toString('utf8').split('\n');
  if (vocab.at(-1) === '') vocab.pop();
  return vocab;
}

/** Writes the real tokenizer files into `repo`: tokenizer.json is kept without its vocabulary, which is vocab.txt. */
function writeTokenizer(repo: string, vocab: readonly string[]): void {
  for (const file of ['config.json', 'tokenizer_config.json']) fs.copyFileSync(path.join(MINILM_FIXTURE, file), path.join(repo, file));
  fs.writeFileSync(path.join(repo, 'vocab.txt'), `${vocab.join('\n')}\n`);
  const tokenizer = JSON.parse(fs.readFileSync(path.join(MINILM_FIXTURE, 'tokenizer-without-vocab.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  tokenizer.model.vocab = Object.fromEntries(vocab.map((token, id) => [token, id]));
  fs.writeFileSync(path.join(repo, 'tokenizer.json'), JSON.stringify(tokenizer));
}

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
  const vocab = minilmVocab();
  writeTokenizer(repo, vocab);
  const model = tinyMiniLm(vocab.length);
  fs.writeFileSync(path.join(repo, 'onnx', 'model_quantized.onnx'), model.bytes);
  return { home, dir, model, vocab };
}
