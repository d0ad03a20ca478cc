import test from 'ava';
import fc from 'fast-check';
import { extractSizes, productSizes, standardiseSizes } from '../../src/normalise/sizes.js';
import { holds } from './property.js';

const standard = (text: string): string[] => standardiseSizes(extractSizes(text));

// docs/normalisation.md test vectors.
test('docs/normalisation.md: approx. 300g → [300g]', (t) => {
  t.deepEqual(extractSizes('approx. 300g'), ['300g']);
  t.deepEqual(productSizes({ size: 'approx. 300g' }), ['300g']);
});
test('docs/normalisation.md: 2 x 500ml → [2pk, 500ml]', (t) => {
  t.deepEqual(extractSizes('2 x 500ml'), ['2pk', '500ml']);
  t.deepEqual(productSizes({ size: '2 x 500ml' }), ['2pk', '500ml']);
});
test('docs/normalisation.md: 1.5 - 2kg → [1500g, 2000g]', (t) => {
  t.deepEqual(extractSizes('1.5 - 2kg'), ['1.5kg', '2kg']);
  t.deepEqual(productSizes({ size: '1.5 - 2kg' }), ['1500g', '2000g']);
});
test('docs/normalisation.md: Bulk Pack 2kg → [2000g, pk]', (t) => {
  t.deepEqual(extractSizes('Bulk Pack 2kg'), ['2kg', 'pk']);
  t.deepEqual(productSizes({ name: 'Bulk Pack 2kg' }), ['2000g', 'pk']);
});
test('docs/normalisation.md: 1 each → [ea]', (t) => {
  t.deepEqual(extractSizes('1 each'), ['1ea']);
  t.deepEqual(productSizes({ size: '1 each' }), ['ea']);
});
test('docs/normalisation.md: name Brandy Mixed Fruit 800g + size 0.8 kg → [800g]', (t) => {
  t.deepEqual(productSizes({ name: 'Brandy Mixed Fruit 800g', brand: null, size: '0.8 kg' }), ['800g']);
});
test('docs/normalisation.md: 230g Each → [230g, ea]', (t) => {
  t.deepEqual(extractSizes('230g Each'), ['230g', 'ea']);
  t.deepEqual(productSizes({ size: '230g Each' }), ['230g', 'ea']);
});

// Real size values from the scraped files.
test('real: Aldi "approx. 1.8 ea per package" is a fractional each, standardised to ea', (t) => {
  t.deepEqual(extractSizes('approx. 1.8 ea per package'), ['1.8ea']);
  t.deepEqual(standard('approx. 1.8 ea per package'), ['ea']);
  t.deepEqual(standard('approx. 0.42 kg per piece'), ['420g']);
});
test('real: IGA "180g EachUnit" gives 180g only (EachUnit is not the word each)', (t) => {
  t.deepEqual(extractSizes('180g EachUnit'), ['180g']);
});
test('real: Aldi sizes with a space before the unit', (t) => {
  t.deepEqual(standard('0.5 kg'), ['500g']);
  t.deepEqual(standard('2 kg'), ['2000g']);
  t.deepEqual(standard('200 g'), ['200g']);
  t.deepEqual(standard('1.5 L'), ['1500ml']);
  t.deepEqual(standard('2,000 ml'), ['2000ml']);
  t.deepEqual(standard('12 each'), ['12ea']);
});
test('real: a whole Aldi product unions name, brand and size', (t) => {
  t.deepEqual(productSizes({ name: 'Chicken Drumsticks Bulk Pack 2kg', brand: 'BROAD OAK FARMS', size: '2 kg' }), ['2000g', 'pk']);
  t.deepEqual(productSizes({ name: 'Waffle Cones 12 Pack 170g', brand: 'Sweet Vine', size: '12 each' }), ['12ea', '12pk', '170g']);
  t.deepEqual(productSizes({ name: 'Natural Australian Still Spring Water 1.5L', size: '1.5 L' }), ['1500ml']);
  t.deepEqual(productSizes({ name: 'Toilet Tissue Double Length 3 Ply 8 Pack', size: '2,880 sheets' }), ['8pk']);
});

// Unit spellings and word boundaries.
test('unit words: grams, kilograms, litres, liters, millilitres, packs, ea', (t) => {
  t.deepEqual(extractSizes('300 grams'), ['300g']);
  t.deepEqual(extractSizes('1 kilogram'), ['1kg']);
  t.deepEqual(extractSizes('2 kilograms'), ['2kg']);
  t.deepEqual(extractSizes('1 litre'), ['1l']);
  t.deepEqual(extractSizes('2 Liters'), ['2l']);
  t.deepEqual(extractSizes('250 millilitres'), ['250ml']);
  t.deepEqual(extractSizes('250 milliliter'), ['250ml']);
  t.deepEqual(extractSizes('6 pack'), ['6pk']);
  t.deepEqual(extractSizes('4 packs'), ['4pk']);
  t.deepEqual(extractSizes('10pk'), ['10pk']);
  t.deepEqual(extractSizes('3 ea'), ['3ea']);
});
test('units must end their word and numbers must start theirs', (t) => {
  t.deepEqual(extractSizes('Free Range Eggs'), []);
  t.deepEqual(extractSizes('Lemon Tea'), []);
  t.deepEqual(extractSizes('Glass Lids'), []);
  t.deepEqual(extractSizes('500gm'), []);
  t.deepEqual(extractSizes('Vitamin B12 100ml'), ['100ml']);
  t.deepEqual(extractSizes('Packet Pasta'), []);
});
test('bare g and l are not sizes, bare kg, ml, litre, pack and each are', (t) => {
  t.deepEqual(extractSizes('Vitamin G Drink L'), []);
  t.deepEqual(extractSizes('Pork Loin per kg'), ['kg']);
  t.deepEqual(extractSizes('Avocado Each'), ['ea']);
  t.deepEqual(extractSizes('Value Pack'), ['pk']);
  t.deepEqual(extractSizes('price per litre'), ['l']);
  t.deepEqual(standardiseSizes(['kg', 'l', 'pk']), ['kg', 'l', 'pk']);
});
test('multipacks both ways, with and without spaces, and with a pack word', (t) => {
  t.deepEqual(extractSizes('Cola 24x375ml'), ['24pk', '375ml']);
  t.deepEqual(extractSizes('Cola 24 X 375ml'), ['24pk', '375ml']);
  t.deepEqual(extractSizes('Cola 6 pack x 375ml'), ['6pk', '375ml']);
  t.deepEqual(extractSizes('500ml x 6'), ['500ml', '6pk']);
  t.deepEqual(extractSizes('375ml x 24 pack'), ['375ml', '24pk']);
  t.deepEqual(extractSizes('2 x 1.25 L'), ['2pk', '1.25l']);
  t.deepEqual(extractSizes('10 × 20g'), ['10pk', '20g']);
});
test('ranges take the second unit when the first has none, or keep their own', (t) => {
  t.deepEqual(extractSizes('1.5-2kg'), ['1.5kg', '2kg']);
  t.deepEqual(extractSizes('250g - 300g'), ['250g', '300g']);
  t.deepEqual(extractSizes('500g–1kg'), ['500g', '1kg']);
});
test('leading approx, around and about are stripped; numbers are written canonically', (t) => {
  t.deepEqual(extractSizes('approx 300g'), ['300g']);
  t.deepEqual(extractSizes('around 1.50kg'), ['1.5kg']);
  t.deepEqual(extractSizes('About 0.80 kg'), ['0.8kg']);
  t.deepEqual(extractSizes('.5 l'), ['0.5l']);
  t.deepEqual(extractSizes('0300 g'), ['300g']);
});
test('commas: a thousands comma is dropped, any other comma separates', (t) => {
  t.deepEqual(extractSizes('1,000g'), ['1000g']);
  t.deepEqual(standard('1,000g'), ['1000g']);
  t.deepEqual(extractSizes('500g,2 pack'), ['500g', '2pk']);
});
test('empty, null, undefined and size-less text give no sizes', (t) => {
  t.deepEqual(extractSizes(''), []);
  t.deepEqual(extractSizes(null), []);
  t.deepEqual(extractSizes(undefined), []);
  t.deepEqual(extractSizes('   '), []);
  t.deepEqual(productSizes({}), []);
  t.deepEqual(productSizes({ name: null, brand: null, size: null }), []);
  t.deepEqual(standardiseSizes([]), []);
});
test('unicode: accents and full-width digits fold before extraction', (t) => {
  t.deepEqual(extractSizes('Nestlé Café 200g'), ['200g']);
  t.deepEqual(extractSizes('５００ｇ'), ['500g']);
});

// Standardisation.
test('standardise: base units, exact decimals, no float noise', (t) => {
  t.deepEqual(standardiseSizes(['0.8kg']), ['800g']);
  t.deepEqual(standardiseSizes(['1.5l']), ['1500ml']);
  t.deepEqual(standardiseSizes(['1.1kg']), ['1100g']);
  t.deepEqual(standardiseSizes(['0.0005kg']), ['0.5g']);
  t.deepEqual(standardiseSizes(['2.375l']), ['2375ml']);
  t.deepEqual(standardiseSizes(['0.29l']), ['290ml']);
});
test('standardise: de-duplicates the same quantity written two ways and sorts', (t) => {
  t.deepEqual(standardiseSizes(['0.8kg', '800g']), ['800g']);
  t.deepEqual(standardiseSizes(['1l', '1000ml', '1.0l']), ['1000ml']);
  t.deepEqual(standardiseSizes(['pk', '2kg', 'ea', '1ea']), ['2000g', 'ea', 'pk']);
});
test('standardise: counts of each, packs, zero and junk', (t) => {
  t.deepEqual(standardiseSizes(['1ea']), ['ea']);
  t.deepEqual(standardiseSizes(['12ea']), ['12ea']);
  t.deepEqual(standardiseSizes(['0.42ea']), ['ea']);
  t.deepEqual(standardiseSizes(['1pk']), ['1pk']);
  t.deepEqual(standardiseSizes(['0g', '0.0kg']), []);
  t.deepEqual(standardiseSizes(['sheets', '', '2m', 'abc']), []);
  t.deepEqual(standardiseSizes(['500 grams', '2 Litres']), ['2000ml', '500g']);
});

// Properties.
const quarters = fc.integer({ min: 1, max: 400_000 }).map((k) => k / 4);
test('property: n kg ≡ n·1000 g and n l ≡ n·1000 ml after standardising', (t) => {
  holds(
    t,
    fc.property(quarters, (n) => {
      const grams = standardiseSizes([`${n * 1000}g`]);
      const litres = standardiseSizes([`${n * 1000}ml`]);
      return (
        JSON.stringify(standardiseSizes([`${n}kg`])) === JSON.stringify(grams) &&
        JSON.stringify(standardiseSizes([`${n}kg`, `${n * 1000}g`])) === JSON.stringify(grams) &&
        JSON.stringify(standardiseSizes([`${n}l`])) === JSON.stringify(litres) &&
        JSON.stringify(standardiseSizes([`${n}l`, `${n * 1000}ml`])) === JSON.stringify(litres)
      );
    }),
  );
});
test('property: extracting a written size and standardising gives the base-unit value', (t) => {
  holds(
    t,
    fc.property(quarters, fc.constantFrom('kg', ' kg', ' kilograms', 'l', ' L', ' litres'), (n, unit) => {
      const base = unit.trim().startsWith('k') ? 'g' : 'ml';
      return JSON.stringify(productSizes({ size: `${n}${unit}` })) === JSON.stringify([`${n * 1000}${base}`]);
    }),
  );
});
test('property: standardising is idempotent and returns sorted unique values', (t) => {
  const size = fc.tuple(fc.option(quarters, { nil: undefined }), fc.constantFrom('g', 'kg', 'ml', 'l', 'pk', 'ea')).map(([n, u]) => `${n ?? ''}${u}`);
  holds(
    t,
    fc.property(fc.array(size, { maxLength: 8 }), (sizes) => {
      const once = standardiseSizes(sizes);
      return JSON.stringify(standardiseSizes(once)) === JSON.stringify(once) && JSON.stringify([...new Set(once)].sort()) === JSON.stringify(once);
    }),
  );
});
