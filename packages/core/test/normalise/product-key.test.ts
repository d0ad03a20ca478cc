import test from 'ava';
import fc from 'fast-check';
import { nameKey, productKey } from '../../src/normalise/product-key.js';
import { productSizes } from '../../src/normalise/sizes.js';
import { holds } from './property.js';

test('docs/normalisation.md: Fresh Tassie Salmon Portions Skin Off + Tassal + 300g', (t) => {
  t.is(productKey('Fresh Tassie Salmon Portions Skin Off', 'Tassal', ['300g']), '300g fresh off portions salmon skin tassal tassie');
});
test('a decimal point between digits survives; other dots separate', (t) => {
  t.is(productKey('Spring Water 1.5L', null, ['1500ml']), '1.5l 1500ml spring water');
  t.is(productKey('Mr. Muscle 2.5 kg.', null, []), '2.5 kg mr muscle');
  t.is(productKey('Version .5 and 3.', null, []), '3 5 and version');
});
test('punctuation becomes a space; a thousands comma vanishes', (t) => {
  t.is(productKey("Pork, Pepper & Oregano Sausages (500g)", 'SPECIALLY SELECTED', ['500g']), '500g oregano pepper pork sausages selected specially');
  t.is(productKey('Rice 1,000g', null, ['1000g']), '1000g rice');
  t.is(productKey("Kellogg's Corn-Flakes", null, []), 'corn flakes kellogg s');
});
test('accents fold to ASCII and un-foldable characters separate', (t) => {
  t.is(productKey('Nestlé Café Crème', 'NESTLÉ', []), 'cafe creme nestle');
  t.is(productKey('Bananas', '\u8212\u9002\u5200\u7247', ['180g']), '180g bananas');
});
test('empty and missing parts add nothing; no length cap', (t) => {
  t.is(productKey('', null, []), '');
  t.is(productKey('Milk', undefined, []), 'milk');
  t.is(productKey('Milk', '', []), 'milk');
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  t.is(productKey(long, null, []).split(' ').length, 200);
});
test('a whole real product: name, brand and its standardised sizes', (t) => {
  const product = { name: 'Chicken Drumsticks Bulk Pack 2kg', brand: 'BROAD OAK FARMS', size: '2 kg' };
  t.is(productKey(product.name, product.brand, productSizes(product)), '2000g 2kg broad bulk chicken drumsticks farms oak pack pk');
});

test('docs/substitutions.md: Short Cut Bacon 500g and 1kg share the name key', (t) => {
  t.is(nameKey('Short Cut Bacon 500g'), 'short cut bacon');
  t.is(nameKey('Short Cut Bacon 1kg'), 'short cut bacon');
});
test('name key removes multipacks, packs, each and punctuation, keeps word order', (t) => {
  t.is(nameKey('Lemonade Soft Drink 2 x 500ml'), 'lemonade soft drink');
  t.is(nameKey('Energy Drink 250ml x 4'), 'energy drink');
  t.is(nameKey('Muesli Bars 8 Pack'), 'muesli bars');
  t.is(nameKey('Avocado Each'), 'avocado');
  t.is(nameKey('Pork, Pepper & Oregano  Sausages 0.5 kg'), 'pork pepper oregano sausages');
  t.is(nameKey('Zucchini Apple'), 'zucchini apple');
  t.is(nameKey("Kellogg's Corn Flakes 1,000g"), 'kellogg s corn flakes');
});
test('name key keeps non-size numbers, decimals and accents folded; empty stays empty', (t) => {
  t.is(nameKey('Milk 2.5% Fat 2L'), 'milk 2.5 fat');
  t.is(nameKey('Free Range Eggs 12 Pack 700g'), 'free range eggs');
  t.is(nameKey('Nestlé Milo 460g'), 'nestle milo');
  t.is(nameKey(''), '');
  t.is(nameKey('500g'), '');
});

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const words = fc.array(word, { minLength: 1, maxLength: 8 });
test('property: productKey does not depend on the order of the name words', (t) => {
  holds(
    t,
    fc.property(
      fc.array(word, { minLength: 1, maxLength: 8 }).chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws, { minLength: ws.length, maxLength: ws.length }))),
      fc.option(word, { nil: null }),
      ([original, shuffled], brand) => productKey(original.join(' '), brand, ['500g']) === productKey(shuffled.join(' '), brand, ['500g']),
    ),
  );
});
test('property: productKey of its own output (no brand, no sizes) is unchanged', (t) => {
  const messy = fc.string({ unit: fc.constantFrom('a', 'B', 'é', '1', '.', ',', ' ', '-', '5', '…', 'x', '’'), maxLength: 40 });
  holds(
    t,
    fc.property(messy, fc.option(messy, { nil: null }), (name, brand) => {
      const key = productKey(name, brand, ['1.5l']);
      return productKey(key, null, []) === key;
    }),
  );
});
test('property: productKey output is sorted unique lower-case ASCII words', (t) => {
  holds(
    t,
    fc.property(fc.string({ maxLength: 40 }), (name) => {
      const key = productKey(name, null, []);
      const parts = key === '' ? [] : key.split(' ');
      return /^[a-z0-9. ]*$/.test(key) && JSON.stringify([...new Set(parts)].sort()) === JSON.stringify(parts) && parts.every((p) => p !== '');
    }),
  );
});
test('property: the name key is the same whatever size is appended', (t) => {
  holds(
    t,
    fc.property(words, fc.integer({ min: 1, max: 5000 }), fc.constantFrom('g', 'kg', 'ml', 'L', ' pack', ' each'), (ws, n, unit) => {
      const name = ws.map((w) => `x${w}`).join(' ');
      return nameKey(`${name} ${n}${unit}`) === nameKey(name) && nameKey(name) === name;
    }),
  );
});
