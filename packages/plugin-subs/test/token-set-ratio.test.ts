import test from 'ava';
import fs from 'node:fs';
import fc from 'fast-check';
import { isNearIdenticalTokens, nameTokens, tokenSetRatio } from '../src/similarity/token-set-ratio.js';

/**
 * Reference scores computed independently with thefuzz 0.19 + python-Levenshtein (Debian
 * packages) on the names preprocessed as docs/substitutions.md says; see the README for the script.
 */
const table = JSON.parse(fs.readFileSync(new URL('../../test/fixtures/token-set-ratio.json', import.meta.url), 'utf8')) as Array<{ a: string; b: string; score: number }>;

test('the reference table: every pair scores exactly as the independent implementation', (t) => {
  t.true(table.length >= 30);
  for (const { a, b, score } of table) t.is(tokenSetRatio(a, b), score, `${a} | ${b}`);
});

test('the cases docs/substitutions.md names: a subset is 100, disjoint single letters 0, punctuation and accents', (t) => {
  t.is(tokenSetRatio('apple juice', 'apple juice 2l'), 100);
  t.is(tokenSetRatio('Mini White Wraps 8 Pack 360g', 'Mini Wholegrain Wraps 8 Pack 360g'), 88);
  t.is(tokenSetRatio('a', 'b'), 0);
  t.is(tokenSetRatio('', 'milk'), 0);
  t.is(tokenSetRatio('!!!', '...'), 0);
  t.deepEqual(nameTokens('Crème Brûlée'), ['brle', 'crme'], 'characters 128–255 are dropped, not folded');
  t.deepEqual(nameTokens('Mānuka  Honey-250g'), ['250g', 'honey', 'mānuka'], 'characters above 255 are kept');
});

test('half-way scores round to even', (t) => {
  t.is(tokenSetRatio('aqqqqqqq', 'azzzzzzz'), 12, '12.5 → 12');
  t.is(tokenSetRatio('abcqqqqq', 'abczzzzz'), 38, '37.5 → 38');
});

test('properties: symmetric, in 0–100, 100 on equal token sets, independent of word order and case', (t) => {
  const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const name = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
  t.notThrows(() =>
    fc.assert(
      fc.property(name, name, (a, b) => {
      const score = tokenSetRatio(a, b);
      const reversed = a.split(' ').reverse().join(' ').toUpperCase();
        return score === tokenSetRatio(b, a) && score >= 0 && score <= 100 && Number.isInteger(score) && tokenSetRatio(a, reversed) === 100 && tokenSetRatio(reversed, b) === score;
      }),
    ),
  );
});

test('the LVL2 test that skips the common subsequence when lengths decide agrees with the exact score', (t) => {
  const lvl2 = (a: string, b: string) => {
    const score = tokenSetRatio(a, b);
    return score > 90 && score < 100;
  };
  for (const { a, b } of table) t.is(isNearIdenticalTokens(nameTokens(a), nameTokens(b)), lvl2(a, b), `${a} | ${b}`);
  const word = fc.stringMatching(/^[a-e]{1,7}$/);
  const name = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
  t.notThrows(() => fc.assert(fc.property(name, name, (a, b) => isNearIdenticalTokens(nameTokens(a), nameTokens(b)) === lvl2(a, b)), { numRuns: 5_000 }));
});
