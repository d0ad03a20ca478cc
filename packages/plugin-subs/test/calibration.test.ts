import test from 'ava';
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bestThreshold, metricsAt } from '../src/embeddings/calibration.js';
import { createUseLiteEmbedder, USE_LITE_THRESHOLD } from '../src/embeddings/use-lite-embedder.js';
import { cosine } from '../src/embeddings/vectors.js';
import { REAL_FIXTURES } from '@trolley/core/testing';

interface LabelledPair {
  company: string;
  category: string;
  a: string;
  b: string;
  substitute: boolean;
  reason: string;
  source: string;
}

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/calibration-pairs.jsonl', import.meta.url));
const pairs: LabelledPair[] = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as LabelledPair);

async function namesByCategory(file: string): Promise<Map<string, Set<string>>> {
  const byCategory = new Map<string, Set<string>>();
  for await (const text of createInterface({ input: fs.createReadStream(file).pipe(createGunzip()) })) {
    const { product } = JSON.parse(text) as { product: { name: string; category_path?: string[] } };
    const category = (product.category_path ?? []).join(' > ');
    if (!byCategory.has(category)) byCategory.set(category, new Set());
    byCategory.get(category)!.add(product.name);
  }
  return byCategory;
}

test('the calibration fixture: at least 150 hand-labelled pairs of real products from one category each, both labels, a reason each, no pair twice', async (t) => {
  t.true(pairs.length >= 150, `${pairs.length} pairs`);
  const positives = pairs.filter((p) => p.substitute).length;
  t.true(positives >= 50 && pairs.length - positives >= 50, `${positives} substitutes, ${pairs.length - positives} not`);
  t.is(new Set(pairs.map((p) => `${p.company}|${p.category}|${p.a}|${p.b}`)).size, pairs.length);
  const sources = new Map<string, Map<string, Set<string>>>();
  for (const pair of pairs) {
    t.true(pair.reason.trim().length > 3, `a reason for ${pair.a} / ${pair.b}`);
    t.regex(pair.source, /^\.\.\/shared\/data\/real\//);
    // The trimmed copies keep every product a pair names (core's test/fixtures/real/README.md).
    if (!sources.has(pair.source)) sources.set(pair.source, await namesByCategory(`${REAL_FIXTURES}${pair.source.replace('../shared/data/real/', '')}`));
    const names = sources.get(pair.source)!.get(pair.category);
    t.truthy(names, `category ${pair.category} in ${pair.source}`);
    t.true(names!.has(pair.a) && names!.has(pair.b), `${pair.a} and ${pair.b} are real products of ${pair.category}`);
  }
});

test('use-lite on the calibration fixture: its threshold is the one with the best F0.5 (precision weighed twice); precision and recall reported', async (t) => {
  const embedder = createUseLiteEmbedder();
  const texts = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const vectors = await embedder.embed(texts);
  const byText = new Map(texts.map((text, i) => [text, vectors[i]!]));
  const scored = pairs.map((p) => ({ substitute: p.substitute, score: cosine(byText.get(p.a)!, byText.get(p.b)!) }));
  const at = metricsAt(scored, embedder.threshold);
  const best = bestThreshold(scored);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  t.log(`use-lite at ${embedder.threshold}: precision ${pct(at.precision)}, recall ${pct(at.recall)}, F1 ${at.f1.toFixed(3)} on ${pairs.length} pairs`);
  t.log(`best F0.5 at ${best.threshold}: precision ${pct(best.precision)}, recall ${pct(best.recall)}, F0.5 ${best.f05.toFixed(3)}`);
  t.is(USE_LITE_THRESHOLD, best.threshold, 'the shipped threshold follows the fixture (re-run scripts/calibrate.mjs after changing it)');
  t.true(at.f05 > 0.8 && at.precision > 0.85 && at.recall > 0.7, `precision ${pct(at.precision)}, recall ${pct(at.recall)}`);
});
