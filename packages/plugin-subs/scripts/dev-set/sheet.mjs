#!/usr/bin/env node
// The blind labelling sheet of a new draw (sample.mjs's OUT_DIR): each distinct pair of both levels
// once, in shuffled order (seeded by SEED), the two sides in random order, each side shown as its
// name, [brand], {categories} and (company) only: no score, bin, level, sample type or model
// decision. Writes OUT_DIR/sheet.tsv (row number, side 1, side 2) and OUT_DIR/sheet-keys.json (the
// pair behind each row), so labels written per row can be joined back to the draw afterwards.
// Usage: SEED=20261208 node sheet.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { random } from './real-catalogue.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('Usage: SEED=n node sheet.mjs OUT_DIR (the folder sample.mjs wrote)');
const rand = random(Number(process.env.SEED ?? 0) ^ 0x5bd1e995);
const distinct = new Map();
for (const level of [3, 4]) {
  for (const line of fs.readFileSync(path.join(dir, `lvl${level}.jsonl`), 'utf8').split('\n').filter(Boolean)) {
    const p = JSON.parse(line);
    const key = [p.a.key, p.b.key].sort().join('\t');
    if (!distinct.has(key)) distinct.set(key, [p.a, p.b]);
  }
}
const rows = [...distinct.entries()];
for (let i = rows.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}
const side = (x) => `${x.name} [${x.brand ?? ''}] {${x.category}} (${x.company})`;
const sheet = rows.map(([, [a, b]], n) => {
  const [x, y] = rand() < 0.5 ? [a, b] : [b, a];
  return `${n + 1}\t${side(x)}\t${side(y)}`;
});
fs.writeFileSync(path.join(dir, 'sheet.tsv'), sheet.join('\n') + '\n');
fs.writeFileSync(path.join(dir, 'sheet-keys.json'), JSON.stringify(rows.map(([key]) => key)));
console.log(`${rows.length} distinct pairs → ${path.join(dir, 'sheet.tsv')}`);
