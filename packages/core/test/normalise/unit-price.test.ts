import test from 'ava';
import { unitPrice } from '../../src/normalise/unit-price.js';

const fromString = (s: string): ReturnType<typeof unitPrice> => unitPrice({ per_unit_price_string: s });

test('docs/normalisation.md strings: $2.26/100g, $50.00 per 1kg, $0.07 per 1ea', (t) => {
  t.deepEqual(fromString('$2.26/100g'), { value: 22.6, unit: 'kg' });
  t.deepEqual(fromString('$50.00 per 1kg'), { value: 50, unit: 'kg' });
  t.deepEqual(fromString('$0.07 per 1ea'), { value: 0.07, unit: 'ea' });
});
test('real Aldi and IGA strings', (t) => {
  t.deepEqual(fromString('$5.99 per 1 kg'), { value: 5.99, unit: 'kg' });
  t.deepEqual(fromString('$2.75 per 100 g'), { value: 27.5, unit: 'kg' });
  t.deepEqual(fromString('$4.50/kg'), { value: 4.5, unit: 'kg' });
  t.deepEqual(fromString('$0.76 per 100 ml'), { value: 7.6, unit: 'l' });
  t.deepEqual(fromString('$0.50 per 1 L'), { value: 0.5, unit: 'l' });
  t.deepEqual(fromString('$1.03/l'), { value: 1.03, unit: 'l' });
  t.deepEqual(fromString('$0.24 per 1 each'), { value: 0.24, unit: 'ea' });
  t.deepEqual(fromString('$0.96 per 100 each'), { value: 0.0096, unit: 'ea' });
  t.deepEqual(fromString('$1.50 each'), { value: 1.5, unit: 'ea' });
  t.deepEqual(fromString('$19,900.00/100g'), { value: 199000, unit: 'kg' });
  t.deepEqual(fromString('$2.72 per 100 PAC'), { value: 0.0272, unit: 'ea' });
});
test('Coles and Woolworths style strings', (t) => {
  t.deepEqual(fromString('$1.20 per 100mL'), { value: 12, unit: 'l' });
  t.deepEqual(fromString('$3.00/1L'), { value: 3, unit: 'l' });
  t.deepEqual(fromString('$0.50 each'), { value: 0.5, unit: 'ea' });
  t.deepEqual(fromString('$12.50 / 1KG'), { value: 12.5, unit: 'kg' });
  t.deepEqual(fromString('85c per 100g'), { value: 8.5, unit: 'kg' });
});
test('rounded to 4 decimals', (t) => {
  t.deepEqual(fromString('$1.00 per 3 each'), { value: 0.3333, unit: 'ea' });
  t.deepEqual(fromString('$2.00/300g'), { value: 6.6667, unit: 'kg' });
});
test('a string priced per sheets or metres has no kg/l/each form: null, no fallback', (t) => {
  t.is(fromString('$0.26 per 100 sheets'), null);
  t.is(unitPrice({ per_unit_price_string: '$0.04 per 1 m', per_unit_price_value: 0.04, unit_price: 0.04, unit_of_measure: '1kg' }), null);
});
test('the string beats unit_price, which Aldi divided by 100 twice', (t) => {
  t.deepEqual(
    unitPrice({ per_unit_price_string: '$5.99 per 1 kg', per_unit_price_value: 5.99, per_unit_price_measure: null, unit_price: 0.06, unit_of_measure: '1.0kg' }),
    { value: 5.99, unit: 'kg' },
  );
  t.deepEqual(unitPrice({ per_unit_price_string: '$1.68 per 100 g', unit_price: 0.17, unit_of_measure: '1kg' }), { value: 16.8, unit: 'kg' });
});
test('fallback: per_unit_price_value with per_unit_price_measure', (t) => {
  t.deepEqual(unitPrice({ per_unit_price_value: 2.26, per_unit_price_measure: '100g' }), { value: 22.6, unit: 'kg' });
  t.deepEqual(unitPrice({ per_unit_price_value: '16.00', per_unit_price_measure: '1kg' }), { value: 16, unit: 'kg' });
  t.deepEqual(unitPrice({ per_unit_price_value: 3, per_unit_price_measure: '1l' }), { value: 3, unit: 'l' });
  t.deepEqual(unitPrice({ per_unit_price_value: 0.5, per_unit_price_measure: 'each' }), { value: 0.5, unit: 'ea' });
  t.deepEqual(unitPrice({ per_unit_price_string: 'see store', per_unit_price_value: 1.2, per_unit_price_measure: '100 mL', unit_price: 99, unit_of_measure: '1kg' }), { value: 12, unit: 'l' });
});
test('last resort: unit_price per unit_of_measure, only when nothing else exists', (t) => {
  t.deepEqual(unitPrice({ unit_price: 16, unit_of_measure: '1kg' }), { value: 16, unit: 'kg' });
  t.deepEqual(unitPrice({ unit_price: 0.96, unit_of_measure: '100.0each' }), { value: 0.0096, unit: 'ea' });
  t.deepEqual(unitPrice({ per_unit_price_value: 5.99, per_unit_price_measure: null, unit_price: 0.5, unit_of_measure: '1.0l' }), { value: 0.5, unit: 'l' });
});
test('null when nothing parses', (t) => {
  t.is(unitPrice({}), null);
  t.is(unitPrice({ per_unit_price_string: null, per_unit_price_value: null, per_unit_price_measure: null, unit_price: null, unit_of_measure: null }), null);
  t.is(unitPrice({ per_unit_price_string: '' }), null);
  t.is(unitPrice({ per_unit_price_string: 'price on request' }), null);
  t.is(unitPrice({ per_unit_price_value: 5.99 }), null);
  t.is(unitPrice({ per_unit_price_value: -1, per_unit_price_measure: '1kg' }), null);
  t.is(unitPrice({ per_unit_price_value: 'NaN', per_unit_price_measure: '1kg' }), null);
  t.is(unitPrice({ per_unit_price_value: 5, per_unit_price_measure: '0kg' }), null);
  t.is(unitPrice({ unit_price: 5, unit_of_measure: 'sheets' }), null);
});
test('a string asked again gets the same answer, which cannot be changed by whoever got it first', (t) => {
  for (const s of ['$3.69 per 1 kg', '$2.72 per 100 PAC', '$1.00 per 10 sheets', 'about four dollars']) {
    const first = fromString(s);
    const again = fromString(s);
    t.deepEqual(again, first);
    if (first) t.throws(() => ((first as { value: number }).value = 0));
    t.deepEqual(fromString(s), again);
  }
  t.deepEqual(fromString('$3.69 per 1 kg'), { value: 3.69, unit: 'kg' });
});
