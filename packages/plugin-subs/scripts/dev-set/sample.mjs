#!/usr/bin/env node
// Samples the unlabelled candidate pairs of the development set from the real catalogues (see
// test/fixtures/dev-set/README.md). Candidates: LVL3 = every pair of Aldi 2026 products sharing a
// leaf category; LVL4 = every pair of products (Aldi 2026 + IGA North Sydney) sharing no category.
// Two samples per level, both seeded:
// - "pairs": stratified by use-lite cosine bin, each pair carrying its bin's weight (bin
//   population / pairs drawn), for precision of kept pairs over the whole score range;
// - "anchors": random products with their three nearest candidates, for coverage.
// Usage: DATABASE_URL=… TROLLEY_DATABASE_SCHEMA=… node sample.mjs OUT_DIR
// A later draw for a split of its own (how held-back-2 was drawn): SPLIT=held-back-2 puts every
// drawn pair in that split; SEED=n seeds it (each level adds its number); TAKES=5,5,10,25,30,25 sets
// the pairs drawn per bin; ANCHORS3 / ANCHORS4 the anchors per level; EXCLUDE=DIR skips every pair
// and anchor product already in DIR's lvl3.jsonl / lvl4.jsonl; ID=h2 prefixes the ids (L3-h2-p1)
// and numbers the anchors from 101 (FIRST_ANCHOR=n: from n).
import fs from 'node:fs';
import path from 'node:path';
import { openCatalogue, random, useLiteVectors } from './real-catalogue.mjs';

const TAKES = (process.env.TAKES ?? '20,30,45,55,50,40').split(',').map(Number);
const BINS = [
  { from: -1, to: 0.5 },
  { from: 0.5, to: 0.6 },
  { from: 0.6, to: 0.7 },
  { from: 0.7, to: 0.8 },
  { from: 0.8, to: 0.9 },
  { from: 0.9, to: 2 },
].map((bin, b) => ({ ...bin, take: TAKES[b] }));
const anchorsOf = (level) => Number(process.env[`ANCHORS${level}`] ?? 40);
const NEIGHBOURS = 3;
const HELD_BACK = 0.45;
const SPLIT = process.env.SPLIT;
const SEED = Number(process.env.SEED ?? 0);
const ID = process.env.ID ? `${process.env.ID}-` : '';
const FIRST_ANCHOR = Number(process.env.FIRST_ANCHOR ?? (process.env.ID ? 101 : 1));
const splitOf = (rand) => SPLIT ?? (rand() < HELD_BACK ? 'held-back' : 'train');

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

// Pairs (unordered, by product key) and anchor products already in an earlier draw.
const excluded = (level) => {
  const pairs = new Set();
  const anchorKeys = new Set();
  if (!process.env.EXCLUDE) return { pairs, anchorKeys };
  for (const line of fs.readFileSync(path.join(process.env.EXCLUDE, `lvl${level}.jsonl`), 'utf8').split('\n').filter(Boolean)) {
    const p = JSON.parse(line);
    pairs.add([p.a.key, p.b.key].sort().join('\t'));
    if (p.sample === 'anchors') anchorKeys.add(p.a.key);
  }
  return { pairs, anchorKeys };
};

fs.mkdirSync(out, { recursive: true });
for (const [level, { members, candidate }] of Object.entries(levels)) {
  const rand = random(SEED + Number(level) * 7919);
  const old = excluded(level);
  const isOld = (i, j) => old.pairs.size > 0 && old.pairs.has([nnbs.get(catalogue[i].id), nnbs.get(catalogue[j].id)].sort().join('\t'));
  const ANCHORS = anchorsOf(level);
  // Reservoir per bin over every candidate pair.
  const reservoirs = BINS.map(() => ({ seen: 0, kept: [] }));
  for (let x = 0; x < members.length; x++) {
    const i = members[x];
    for (let y = x + 1; y < members.length; y++) {
      const j = members[y];
      if (catalogue[i].id === catalogue[j].id || !candidate(catalogue[i], catalogue[j]) || isOld(i, j)) continue;
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
      lines.push({ id: `L${level}-${ID}p${lines.length + 1}`, level: Number(level), sample: 'pairs', bin: b, weight: r.seen / r.kept.length, score: Math.round(score * 1e4) / 1e4, split: splitOf(rand), a: describe(i), b: describe(j) });
    }
  });
  const anchors = [];
  for (let n = 0; anchors.length < ANCHORS && n < 10_000; n++) {
    const i = members[Math.floor(rand() * members.length)];
    if (anchors.includes(i) || old.anchorKeys.has(nnbs.get(catalogue[i].id))) continue;
    const near = members.filter((j) => catalogue[j].id !== catalogue[i].id && candidate(catalogue[i], catalogue[j]) && !isOld(i, j)).map((j) => [j, dot(vectors[i], vectors[j])]).sort((x, y) => y[1] - x[1]).slice(0, NEIGHBOURS);
    if (near.length === 0) continue;
    anchors.push(i);
    const split = splitOf(rand);
    const anchor = FIRST_ANCHOR + anchors.length - 1;
    near.forEach(([j, score], rank) => lines.push({ id: `L${level}-${ID}a${anchor}-${rank + 1}`, level: Number(level), sample: 'anchors', anchor, weight: 1, score: Math.round(score * 1e4) / 1e4, split, a: describe(i), b: describe(j) }));
  }
  const bins = reservoirs.map((r, b) => `${BINS[b].from}..${BINS[b].to}: ${r.seen} candidates, ${r.kept.length} drawn`);
  console.log(`LVL${level}: ${bins.join('; ')}; ${anchors.length} anchors`);
  fs.writeFileSync(path.join(out, `lvl${level}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
