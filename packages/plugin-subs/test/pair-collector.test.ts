import test from 'ava';
import type { CatalogueProduct } from '@trolley/core';
import { categoryClasses, firstSharedCategory } from '../src/generators/category-classes.js';
import { PairCollector } from '../src/generators/pair-collector.js';

const product = (id: number, categoryIds: number[] = []): CatalogueProduct => ({ id, name: `p${id}`, brand: null, brandKey: '', nameKey: `p${id}`, sizes: [], categoryIds });

test('the collector orders pairs by (a, b) whatever the catalogue order, keeps each once with its best score, and rounds scores', (t) => {
  // Catalogue indexes 0..4 hold ids out of order, as a catalogue read by another query might.
  const catalogue = [product(50), product(7), product(900), product(8), product(3)];
  const pairs = new PairCollector(3, catalogue);
  pairs.add(0, 1, 0.8); // 7-50
  pairs.add(2, 4, 0.91234567); // 3-900
  pairs.add(1, 0, 0.85); // 7-50 again, better
  pairs.add(3, 1, 0.75); // 7-8
  pairs.add(1, 1, 0.99); // a product with itself: ignored
  pairs.add(4, 3, 1.0000001); // 3-8, clamped to 1
  t.deepEqual(pairs.pairs(), [
    { a: 3, b: 8, level: 3, score: 1 },
    { a: 3, b: 900, level: 3, score: 0.912346 },
    { a: 7, b: 8, level: 3, score: 0.75 },
    { a: 7, b: 50, level: 3, score: 0.85 },
  ]);
});

test('the collector grows past its first capacity and matches a map of pairs', (t) => {
  const catalogue = Array.from({ length: 400 }, (_, i) => product(1000 - i));
  const pairs = new PairCollector(4, catalogue);
  const expected = new Map<string, number>();
  let s = 7;
  for (let n = 0; n < 150_000; n++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const x = s % 400;
    const y = (s >>> 9) % 400;
    const score = Math.round(((s >>> 3) % 1000) / 10) / 100;
    pairs.add(x, y, score);
    if (x === y) continue;
    const a = Math.min(catalogue[x]!.id, catalogue[y]!.id);
    const b = Math.max(catalogue[x]!.id, catalogue[y]!.id);
    expected.set(`${a}-${b}`, Math.max(expected.get(`${a}-${b}`) ?? 0, score));
  }
  const found = pairs.pairs();
  t.deepEqual(
    found.map((p) => `${p.a}-${p.b}`),
    [...expected.keys()].sort((p, q) => Number(p.split('-')[0]) - Number(q.split('-')[0]) || Number(p.split('-')[1]) - Number(q.split('-')[1])),
  );
  t.true(found.every((p) => p.score === expected.get(`${p.a}-${p.b}`)));
});

test('category classes group products by their whole category set; the first shared category of two sets', (t) => {
  const catalogue = [product(1, [5, 9]), product(2, [5]), product(3, [9, 5]), product(4, [7])];
  t.deepEqual(categoryClasses([0, 1, 2, 3], catalogue), [
    { categories: [5, 9], members: [0, 2] },
    { categories: [5], members: [1] },
    { categories: [7], members: [3] },
  ]);
  t.is(firstSharedCategory([5, 9], [9, 12]), 9);
  t.is(firstSharedCategory([1, 5, 9], [2, 5, 9]), 5);
  t.is(firstSharedCategory([5], [7]), undefined);
  t.is(firstSharedCategory([], [7]), undefined);
});
