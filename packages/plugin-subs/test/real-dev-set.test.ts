import test from 'ava';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXTENSION_API_VERSION, importFiles, readCatalogue, Tokens, type SubstitutionGenerator } from '@trolley/core';
import register from '../src/hooks/register.js';
import { devSetFigures, type DevPair } from '../src/decision/dev-set-metrics.js';
import { realDataTest } from '@trolley/core/testing';
import { testKernel } from './helpers/kernel.js';

const DEV_SET = (name: string) => fileURLToPath(new URL(`../../test/fixtures/dev-set/${name}`, import.meta.url));
const devSet = (level: number): DevPair[] =>
  fs
    .readFileSync(DEV_SET(`lvl${level}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DevPair);

test('the development set: 360 labelled pairs per level, 240 stratified with consistent weights and 40 anchors of three, a fixed split that keeps each anchor whole', (t) => {
  for (const level of [3, 4]) {
    const pairs = devSet(level);
    t.is(pairs.length, 360);
    t.true(pairs.every((p) => p.level === level && ['yes', 'borderline', 'no'].includes(p.label) && ['train', 'held-back'].includes(p.split)));
    const stratified = pairs.filter((p) => p.sample === 'pairs');
    t.is(stratified.length, 240);
    for (let bin = 0; bin < 6; bin++) t.is(new Set(stratified.filter((p) => p.bin === bin).map((p) => p.weight)).size, 1, `one weight in bin ${bin}`);
    const anchors = new Map<number, DevPair[]>();
    for (const p of pairs.filter((p) => p.sample === 'anchors')) anchors.set(p.anchor!, [...(anchors.get(p.anchor!) ?? []), p]);
    t.is(anchors.size, 40);
    t.true([...anchors.values()].every((group) => group.length === 3 && new Set(group.map((p) => p.split)).size === 1 && new Set(group.map((p) => p.a.key)).size === 1));
    const heldBack = pairs.filter((p) => p.split === 'held-back').length / pairs.length;
    t.true(heldBack > 0.35 && heldBack < 0.55, `${heldBack} held back`);
  }
});

realDataTest(test, 'the generators reproduce the documented held-back precision and coverage on the full real catalogues', async (t, real) => {
  t.timeout(30 * 60_000);
  const kernel = await testKernel(t, [...(await register({ kernel: { apiVersion: EXTENSION_API_VERSION, tokens: Tokens } }))]);
  const [aldi] = await importFiles(kernel.knex, [real.file('aldi/aldi-catalogue-2026-06-29.jsonl.gz')], { storeId: 'CATALOGUE' });
  const [iga] = await importFiles(kernel.knex, [real.file('iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz')]);
  t.is(aldi?.mode, 'full');
  t.is(iga?.mode, 'full');
  const catalogue = await readCatalogue(kernel.knex);
  const nameOf = new Map(catalogue.map((p) => [p.id, p.name]));
  t.true(catalogue.some((p) => /^Evaporated Milk/.test(p.name)) && catalogue.some((p) => /^Full Cream Milk/.test(p.name)));
  const idOf = new Map((await kernel.knex('products').select('id', 'nnbs')).map((r: { id: number | string; nnbs: string }) => [r.nnbs, Number(r.id)]));
  const documented = JSON.parse(fs.readFileSync(DEV_SET('held-back-figures.json'), 'utf8')) as Record<string, unknown>;
  for (const level of [3, 4]) {
    const generator = (await kernel.registry.get('SubstitutionGenerator', `lvl${level}`, kernel.services.container)) as SubstitutionGenerator;
    const generated = await generator.generate(catalogue, { embedder: 'use-lite' });
    const kept = new Set(generated.map((p) => `${p.a}-${p.b}`));
    // Evaporated or condensed milk is another product than fresh milk (both are in these catalogues).
    const canned = /\b(?:evaporated|condensed)\b/i;
    const milkMix = generated.filter((p) => [nameOf.get(p.a)!, nameOf.get(p.b)!].every((n) => /\bmilk\b/i.test(n)) && canned.test(nameOf.get(p.a)!) !== canned.test(nameOf.get(p.b)!));
    t.deepEqual(milkMix.map((p) => `${nameOf.get(p.a)} ~ ${nameOf.get(p.b)}`), [], `LVL${level} pairs fresh with evaporated/condensed milk`);
    const key = (p: DevPair) => {
      const [x, y] = [idOf.get(p.a.key)!, idOf.get(p.b.key)!];
      return `${Math.min(x, y)}-${Math.max(x, y)}`;
    };
    const figures = devSetFigures(devSet(level).filter((p) => p.split === 'held-back'), (p) => kept.has(key(p)));
    t.deepEqual(figures, documented[`lvl${level}`], `LVL${level}`);
  }
});
