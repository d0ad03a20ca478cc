import test from 'ava';
import fc from 'fast-check';
import { brandKey } from '../../src/normalise/brand-key.js';
import { holds } from './property.js';

test('docs/normalisation.md: SWEET VINE → sweetvine, Community Co → cocommunity', (t) => {
  t.is(brandKey('SWEET VINE'), 'sweetvine');
  t.is(brandKey('Community Co'), 'cocommunity');
});
test('real: READY, SET…COOK! → cookreadyset (the ellipsis separates words)', (t) => {
  t.is(brandKey('READY, SET\u2026COOK!'), 'cookreadyset');
});
test('null, undefined, empty and punctuation-only brands have an empty key', (t) => {
  t.is(brandKey(null), '');
  t.is(brandKey(undefined), '');
  t.is(brandKey(''), '');
  t.is(brandKey('  -- !! '), '');
});
test('accents fold, and non-ASCII that cannot fold is dropped', (t) => {
  t.is(brandKey('Nestlé'), 'nestle');
  t.is(brandKey('NESTLÉ'), 'nestle');
  t.is(brandKey('\u8212\u9002\u5200\u7247(\u5e7f\u5dde)\u6709\u9650\u516c\u53f8'), '');
  t.is(brandKey('Häagen-Dazs'), 'dazshaagen');
});
test('repeated words count once and digits are kept', (t) => {
  t.is(brandKey('Pork Pork IRONBARK'), 'ironbarkpork');
  t.is(brandKey('7 Eleven'), '7eleven');
});

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
test('property: the key ignores word order and case', (t) => {
  holds(
    t,
    fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.func(fc.boolean()), (words, upper) => {
      const shuffled = [...words].reverse();
      const cased = shuffled.map((w, i) => (upper(i) ? w.toUpperCase() : w)).join('  ');
      return brandKey(words.join(' ')) === brandKey(cased);
    }),
  );
});
test('property: the key is the sorted unique words joined', (t) => {
  holds(
    t,
    fc.property(fc.array(word, { maxLength: 6 }), (words) => brandKey(words.join(', ')) === [...new Set(words)].sort().join('')),
  );
});
