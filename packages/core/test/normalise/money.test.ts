import test from 'ava';
import fc from 'fast-check';
import { toDollars } from '../../src/normalise/money.js';
import { holds } from './property.js';

test('dollars: numbers and numeric strings, rounded to 2 decimals', (t) => {
  t.is(toDollars(5.99, 'dollars'), 5.99);
  t.is(toDollars('5.99', 'dollars'), 5.99);
  t.is(toDollars(' $4.50 ', 'dollars'), 4.5);
  t.is(toDollars('$19,900.00', 'dollars'), 19900);
  t.is(toDollars(1.005, 'dollars'), 1.01);
  t.is(toDollars(2.345, 'dollars'), 2.35);
  t.is(toDollars(0, 'dollars'), 0);
  t.is(toDollars('.5', 'dollars'), 0.5);
});
test('cents are divided by 100 exactly once', (t) => {
  t.is(toDollars(599, 'cents'), 5.99);
  t.is(toDollars('599', 'cents'), 5.99);
  t.is(toDollars(7, 'cents'), 0.07);
  t.is(toDollars(1234.5, 'cents'), 12.35);
});
test('rejects NaN, infinities, negatives, empty and non-numeric values', (t) => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, -0.01, '', '  ', 'abc', '-5', '5.99.1', '1,23', '5 dollars', null, undefined, true, {}, [5]]) {
    t.is(toDollars(bad, 'dollars'), null, String(bad));
  }
});
test('property: cents and dollars agree for whole cents', (t) => {
  holds(t, fc.property(fc.integer({ min: 0, max: 10_000_000 }), (cents) => toDollars(cents, 'cents') === toDollars(cents / 100, 'dollars') && toDollars(cents, 'cents') === Number((cents / 100).toFixed(2))));
});
