import test from 'ava';
import type { CatalogueProduct } from '@trolley/core';
import { sameProductOtherSize } from '../src/generators/same-product-other-size.js';

const product = (id: number, brandKey: string, nameKey: string, sizes: string[]): CatalogueProduct => ({
  id,
  name: nameKey,
  brand: brandKey,
  brandKey,
  nameKey,
  sizes,
  categoryIds: [],
});

test('pairs the same brand and name in different sizes, once per unordered pair, at level 1 with score 1', async (t) => {
  const catalogue = [
    product(7, 'berg', 'short cut bacon', ['1000g']),
    product(3, 'berg', 'short cut bacon', ['500g']),
    product(9, 'berg', 'short cut bacon', ['500g']), // same size as 3: not LVL1 with it
    product(4, 'otherbrand', 'short cut bacon', ['250g']),
    product(5, 'berg', 'streaky bacon', ['250g']),
  ];
  const pairs = await sameProductOtherSize.generate(catalogue, { embedder: 'auto' });
  t.deepEqual(
    [...pairs].sort((x, y) => x.a - y.a || x.b - y.b),
    [
      { a: 3, b: 7, level: 1, score: 1 },
      { a: 7, b: 9, level: 1, score: 1 },
    ],
  );
});

test('products without sizes, brand or name never pair', async (t) => {
  const catalogue = [product(1, 'berg', 'bacon', []), product(2, 'berg', 'bacon', ['500g']), product(3, '', 'bacon', ['1kg']), product(4, '', 'bacon', ['2kg'])];
  t.deepEqual(await sameProductOtherSize.generate(catalogue, { embedder: 'auto' }), []);
});

test('size sets compare as sets, whatever their order', async (t) => {
  const catalogue = [product(1, 'coke', 'cola', ['375ml', '6pk']), product(2, 'coke', 'cola', ['6pk', '375ml']), product(3, 'coke', 'cola', ['375ml', '24pk'])];
  t.deepEqual(
    (await sameProductOtherSize.generate(catalogue, { embedder: 'auto' })).map((p) => [p.a, p.b]).sort(),
    [
      [1, 3],
      [2, 3],
    ],
  );
});
