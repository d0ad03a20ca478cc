import test from 'ava';
import { sourcesFirst } from '../../src/import/source-order.js';

const head = (company: string, storeId: string, scrapedDate: string) => ({ store: { company, storeId, storeName: null, state: null }, scrapedDate });

test('among the files of one date, a store that reads another store’s rows follows that store (a chain in turn); dates, and each store’s own files, keep their order', (t) => {
  // m reads a's rows, n reads m's (a chain); b reads nothing.
  const sourceOf = new Map([
    ['aldi\u0000m', 'aldi\u0000a'],
    ['aldi\u0000n', 'aldi\u0000m'],
  ]);
  const files = ['n1', 'm1', 'b1', 'a1', 'broken', 'm2', 'a2', 'n2'];
  const heads = new Map([
    ['n1', head('aldi', 'n', '2026-01-01')],
    ['m1', head('aldi', 'm', '2026-01-01')],
    ['b1', head('aldi', 'b', '2026-01-01')],
    ['a1', head('aldi', 'a', '2026-01-01')],
    ['m2', head('aldi', 'm', '2026-01-02')],
    ['a2', head('aldi', 'a', '2026-01-02')],
    ['n2', head('aldi', 'n', '2026-01-02')],
  ]);
  const order = sourcesFirst(files, heads, sourceOf).map((i) => files[i]);
  // A file whose head did not check ('broken') stays with the date before it.
  t.deepEqual(order, ['b1', 'a1', 'broken', 'm1', 'n1', 'a2', 'm2', 'n2']);
  // Nothing shares: the order given.
  t.deepEqual(sourcesFirst(files, heads, new Map()), files.map((_, i) => i));
  // Another company's store of the same code shares nothing: it keeps its place.
  const pair = new Map([
    ['x', head('coles', 'm', '2026-01-01')],
    ['y', head('aldi', 'a', '2026-01-01')],
  ]);
  t.deepEqual(sourcesFirst(['x', 'y'], pair, sourceOf), [0, 1]);
});
