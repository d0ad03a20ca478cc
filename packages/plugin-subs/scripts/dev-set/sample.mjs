#!/usr/bin/env node
// Samples the unlabelled candidate pairs of the development set from the real catalogues (see
// test/fixtures/dev-set/README.md). Candidates: LVL3 = every pair of Aldi 2026 products sharing a
// leaf category; LVL4 = every pair of products (Aldi 2026 + IGA North Sydney) sharing no category.
// Two samples per level, both seeded:
// - "pairs": stratified by use-lite cosine bin, each pair carrying its bin's weight (bin
//   population / pairs drawn), for precision of kept pairs over the whole score range;
// - "anchors": random products with their three nearest candidates, for coverage.
// Usage: DATABASE_URL=… TROLLEY_DATABASE_SCHEMA=… node sample.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { openCatalogue, random, useLiteVectors } from './real-catalogue.mjs';

const BINS = [
  { from: -1, to: 0.5, take: 20 },
  { from: 0.5, to: 0.6, take: 30 },
  { from: 0.6, to: 0.7, take: 45 },
  { from: 0.7, to: 0.8, take: 55 },
  { from: 0.8, to: 0.9, take: 50 },
  { from: 0.9, to: 2, take: 40 },
];
const ANCHORS = 40;
const NEIGHBOURS = 3;
const HELD_BACK = 0.45;

const out = process.argv[2] ?? 'dev-set';
const { knex, catalogue, categories } = await openCatalogue();
const nnbs = new Map((await knex('products').select('id', 'nnbs')).map((r) => [Number(r.id), r.nnbs]));
const { vectors } = await useLiteVectors(knex, catalogue);
await knex.destroy();
const companyOf = (p) => categories.get(p.categoryIds[0])?.company ?? '';
const dot = (x, y) => {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * y[k];
  return s;
};
const shares = (p, q) => p.categoryIds.some((c) => q.categoryIds.includes(c));
const describe = (i) => {
  const p = catalogue[i];
  return { key: nnbs.get(p.id), company: companyOf(p), brand: p.brand, name: p.name, category: p.categoryIds.map((c) => categories.get(c).name).join(' | ') };
};

const levels = {
  3: { members: catalogue.map((_, i) => i).filter((i) => companyOf(catalogue[i]) === 'aldi'), candidate: (p, q) => shares(p, q) },
  4: { members: catalogue.map((_, i) => i).filter((i) => catalogue[i].categoryIds.length > 0), candidate: (p, q) => !shares(p, q) },
};

fs.mkdirSync(out, { recursive: true });
for (const [level, { members, candidate }] of Object.entries(levels)) {
  const rand = random(Number(level) * 7919);
  // Reservoir per bin over every candidate pair.
  const reservoirs = BINS.map(() => ({ seen: 0, kept: [] }));
  for (let x = 0; x < members.length; x++) {
    const i = members[x];
    for (let y = x + 1; y < members.length; y++) {
      const j = members[y];
      if (catalogue[i].id === catalogue[j].id || !candidate(catalogue[i], catalogue[j])) continue;
      const score = dot(vectors[i], vectors[j]);
      const b = BINS.findIndex((bin) => score >= bin.from && score < bin.to);
      const r = reservoirs[b];
      r.seen++;
      if (r.kept.length < BINS[b].take) r.kept.push([i, j, score]);
      else {
        const at = Math.floor(rand() * r.seen);
        if (at < BINS[b].take) r.kept[at] = [i, j, score];
      }
    }
  }
  const lines = [];
  reservoirs.forEach((r, b) => {
    for (const [i, j, score] of r.kept) {
      lines.push({ id: `L${level}-p${lines.length + 1}`, level: Number(level), sample: 'pairs', bin: b, weight: r.seen / r.kept.length, score: Math.round(score * 1e4) / 1e4, split: rand() < HELD_BACK ? 'held-back' : 'train', a: describe(i), b: describe(j) });
    }
  });
  const anchors = [];
  for (let n = 0; anchors.length < ANCHORS && n < 10_000; n++) {
    const i = members[Math.floor(rand() * members.length)];
    if (anchors.includes(i)) continue;
    const near = members.filter((j) => catalogue[j].id !== catalogue[i].id && candidate(catalogue[i], catalogue[j])).map((j) => [j, dot(vectors[i], vectors[j])]).sort((x, y) => y[1] - x[1]).slice(0, NEIGHBOURS);
    if (near.length === 0) continue;
    anchors.push(i);
    const split = rand() < HELD_BACK ? 'held-back' : 'train';
    near.forEach(([j, score], rank) => lines.push({ id: `L${level}-a${anchors.length}-${rank + 1}`, level: Number(level), sample: 'anchors', anchor: anchors.length, weight: 1, score: Math.round(score * 1e4) / 1e4, split, a: describe(i), b: describe(j) }));
  }
  const bins = reservoirs.map((r, b) => `${BINS[b].from}..${BINS[b].to}: ${r.seen} candidates, ${r.kept.length} drawn`);
  console.log(`LVL${level}: ${bins.join('; ')}; ${anchors.length} anchors`);
  fs.writeFileSync(path.join(out, `lvl${level}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
