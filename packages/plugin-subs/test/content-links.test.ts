import test from 'ava';
import { contentMatchLinks } from '../src/categories/content-links.js';

const unit = (...xs: number[]) => {
  const v = Float32Array.from(xs);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

test('MATCH votes count a counterpart of the same product type as of one kind, whatever the head nouns (Chocolate Bar ~ Chocolate Block)', (t) => {
  // Two categories of one company, their products close by name (cosine 0.98); the heads differ
  // (bar, block), the product type (chocolate) is the same.
  const bars = { category: { id: 1, companyId: 1, name: 'Chocolate Bars' }, vectors: [unit(1, 0.1, 0, 0), unit(1, 0, 0.1, 0)] };
  const blocks = { category: { id: 2, companyId: 1, name: 'Chocolate Blocks' }, vectors: [unit(1, 0.1, 0.05, 0), unit(1, 0.05, 0.1, 0)] };
  const linked = (barKind: { head: number; type?: number }, blockKind: { head: number; type?: number }) =>
    contentMatchLinks([{ ...bars, kinds: [barKind, barKind] }, { ...blocks, kinds: [blockKind, blockKind] }], 4).some((l) => l.a === 1 && l.b === 2);
  t.true(linked({ head: 10, type: 5 }, { head: 11, type: 5 }), 'one type, two heads: linked');
  t.true(linked({ head: 10, type: 5 }, { head: 10, type: 6 }), 'one head, two types: linked');
  t.false(linked({ head: 10, type: 5 }, { head: 11, type: 6 }), 'two heads, two types: not linked');
  t.false(linked({ head: 10, type: -1 }, { head: 11, type: -1 }), 'no type is not one type');
  t.false(linked({ head: 10 }, { head: 11 }), 'heads only, two heads: not linked');
});
