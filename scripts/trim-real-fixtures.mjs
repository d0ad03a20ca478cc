#!/usr/bin/env node
// Writes the trimmed copies of the real data files that the tests use (packages/core/test/fixtures/real/)
// from the folder of full files: whole lines, in their original order, gzipped. What each keeps is
// described in that folder's README.md; rerun this after changing the rules below.
// Usage: node scripts/trim-real-fixtures.mjs [folder of full files, default $TROLLEY_REAL_DATA]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const from = process.argv[2] ?? process.env.TROLLEY_REAL_DATA;
if (!from) {
  console.error('trim-real-fixtures: give the folder of full real data files (or set TROLLEY_REAL_DATA).');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'packages/core/test/fixtures/real');
const calibration = path.join(root, 'packages/plugin-subs/test/fixtures/calibration-pairs.jsonl');

/** How many products of the first store of each chain every file of that chain keeps (by SKU). */
const FIRST = 150;
const ALDI_19 = ['albion-park-g501', 'blair-athol-g457', 'cowra-g439', 'edgecliff-g467'].map((s) => `aldi/aldi-${s}-2025-09-19.jsonl.gz`);
const G147 = ['09', '12', '22'].map((d) => `aldi/aldi-aldi-store-g147-g147-2025-09-${d}.jsonl.gz`);
const IGA = ['iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz', 'iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz'];
const CATALOGUE = 'aldi/aldi-catalogue-2026-06-29.jsonl.gz';
const WHOLE = ['coles/product-3984766-next-data.json'];

const lines = (file) => gunzipSync(fs.readFileSync(path.join(from, file))).toString('utf8').split('\n').filter(Boolean);
const product = (line) => JSON.parse(line).product;
const read = new Map([...ALDI_19, ...G147, ...IGA, CATALOGUE].map((file) => [file, lines(file)]));
const firstSkus = (file) => new Set(read.get(file).slice(0, FIRST).map((l) => String(product(l).sku)));

// Products both chains sell (same normalised name, brand and size): the only ones priced across companies.
const nnbs = (files) => new Set(files.flatMap((f) => read.get(f).map((l) => product(l).normalized_name_brand_size)));
const igaKeys = nnbs(IGA);
const aldiKeys = nnbs([...ALDI_19, ...G147]);
const crossChain = (l) => igaKeys.has(product(l).normalized_name_brand_size) && aldiKeys.has(product(l).normalized_name_brand_size);

// Names the hand-labelled substitution pairs refer to, per source file.
const pairs = fs.readFileSync(calibration, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const namesIn = (file) => new Set(pairs.filter((p) => p.source.endsWith(file)).flatMap((p) => [p.a, p.b]));

const aldiSkus = firstSkus(ALDI_19[0]);
const igaSkus = firstSkus(IGA[0]);
for (const file of [...ALDI_19, ...G147]) for (const l of read.get(file)) if (crossChain(l)) aldiSkus.add(String(product(l).sku));
const igaNames = namesIn(IGA[0]);
for (const l of read.get(IGA[0])) {
  const p = product(l);
  if (crossChain(l) || igaNames.has(p.name) || p.name === 'Green Kiwi Fruit') igaSkus.add(String(p.sku));
}
const catalogueNames = namesIn(CATALOGUE);

const keep = new Map([
  ...[...ALDI_19, ...G147].map((f) => [f, (l) => aldiSkus.has(String(product(l).sku))]),
  ...IGA.map((f) => [f, (l) => igaSkus.has(String(product(l).sku))]),
  [CATALOGUE, (l) => catalogueNames.has(product(l).name) || /bacon/i.test(product(l).name)],
]);

for (const [file, wanted] of keep) {
  const kept = read.get(file).filter(wanted);
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), gzipSync(`${kept.join('\n')}\n`, { level: 9 }));
  console.log(`${file}: ${kept.length} of ${read.get(file).length} lines`);
}
for (const file of WHOLE) {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, `${file}.gz`), gzipSync(fs.readFileSync(path.join(from, file)), { level: 9 }));
  console.log(`${file}.gz: whole`);
}
