import test from 'ava';
import type { CatalogueProduct } from '@trolley/core';
import { anagramNames, letterKey } from '../src/anagram-names.js';

const product = (id: number, name: string): CatalogueProduct => ({ id, name, brand: null, brandKey: '', nameKey: name.toLowerCase(), sizes: [], categoryIds: [] });

test('letter keys ignore case, spaces and punctuation', (t) => {
  t.is(letterKey('Tea Pot'), letterKey('pot-tea!'));
  t.not(letterKey('Tea Pot'), letterKey('Tea Pots'));
});

test('pairs names that are anagrams, not identical names, at level 5', async (t) => {
  const pairs = await anagramNames.generate([product(10, 'Tea Pot'), product(2, 'Pot Tea'), product(3, 'tea pot'), product(4, 'Teapots'), product(5, 'ab')], { embedder: 'auto' });
  t.deepEqual(
    pairs.map((p) => [p.a, p.b, p.level, p.score]).sort(),
    [
      [2, 10, 5, 0.5],
      [2, 3, 5, 0.5],
    ],
  );
});
