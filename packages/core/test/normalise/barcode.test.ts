import test from 'ava';
import fc from 'fast-check';
import { cleanBarcode, isValidGtin } from '../../src/normalise/barcode.js';
import { holds } from './property.js';

test('a real GTIN-13 with a correct check digit is kept', (t) => {
  t.deepEqual(cleanBarcode('9310631635078'), { barcode: '9310631635078' });
  t.deepEqual(cleanBarcode(' 9310631635078 '), { barcode: '9310631635078' });
  t.deepEqual(cleanBarcode('9300633000004'), { barcode: '9300633000004' });
});
test('a wrong check digit is rejected with the raw text', (t) => {
  t.deepEqual(cleanBarcode('9300633000000'), { barcode: null, rejected: '9300633000000' });
  t.deepEqual(cleanBarcode('9310631635079'), { barcode: null, rejected: '9310631635079' });
});
test('UPC-A (GTIN-12) is stored as 13 digits', (t) => {
  t.deepEqual(cleanBarcode('012345678905'), { barcode: '0012345678905' });
});
test('GTIN-14 with a leading 0 becomes GTIN-13; other GTIN-14 stay', (t) => {
  t.deepEqual(cleanBarcode('00012345678905'), { barcode: '0012345678905' });
  t.deepEqual(cleanBarcode('10012345678902'), { barcode: '10012345678902' });
});
test('GTIN-8 stays as it is', (t) => {
  t.deepEqual(cleanBarcode('96385074'), { barcode: '96385074' });
  t.deepEqual(cleanBarcode('96385075'), { barcode: null, rejected: '96385075' });
});
test('a number is read as its digits', (t) => {
  t.deepEqual(cleanBarcode(9310631635078), { barcode: '9310631635078' });
  t.deepEqual(cleanBarcode(9310631635079), { barcode: null, rejected: '9310631635079' });
});
test('no barcode: null, undefined, empty, notfound, null in any case', (t) => {
  for (const none of [null, undefined, '', '  ', 'notfound', 'NotFound', 'NOTFOUND', 'null', 'NULL', 'Null', 'null, notfound']) {
    t.deepEqual(cleanBarcode(none), { barcode: null }, JSON.stringify(none));
  }
});
test('several codes: the first valid one wins', (t) => {
  t.deepEqual(cleanBarcode('9310631635078,96385074'), { barcode: '9310631635078' });
  t.deepEqual(cleanBarcode('9310631635079, 012345678905, 9310631635078'), { barcode: '0012345678905' });
  t.deepEqual(cleanBarcode('notfound,9310631635078'), { barcode: '9310631635078' });
  t.deepEqual(cleanBarcode('123,456'), { barcode: null, rejected: '123,456' });
});
test('lengths, letters and placeholders that are not GTINs are rejected', (t) => {
  t.deepEqual(cleanBarcode('12345'), { barcode: null, rejected: '12345' });
  t.deepEqual(cleanBarcode('93106316350781'), { barcode: null, rejected: '93106316350781' });
  t.deepEqual(cleanBarcode('9310631635078X'), { barcode: null, rejected: '9310631635078X' });
  t.deepEqual(cleanBarcode('0000000000000'), { barcode: null, rejected: '0000000000000' });
  t.deepEqual(cleanBarcode('2414764000008'), { barcode: null, rejected: '2414764000008' });
  t.deepEqual(cleanBarcode({ gtin: 1 }), { barcode: null, rejected: '{"gtin":1}' });
  t.deepEqual(cleanBarcode(true), { barcode: null, rejected: 'true' });
});
test('isValidGtin checks length and the GS1 check digit', (t) => {
  t.true(isValidGtin('9310631635078'));
  t.true(isValidGtin('012345678905'));
  t.true(isValidGtin('00012345678905'));
  t.true(isValidGtin('96385074'));
  t.true(isValidGtin('5000112637922'));
  t.false(isValidGtin('9310631635077'));
  t.false(isValidGtin('073854001157'));
  t.false(isValidGtin('123456789'));
  t.false(isValidGtin(''));
  t.false(isValidGtin(' 9310631635078'));
});

/** The GS1 check digit for the first 12 digits of a GTIN-13. */
function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}
const body = fc.stringMatching(/^[1-9]\d{11}$/);
test('property: every GTIN-13 with the right check digit is accepted as is', (t) => {
  holds(
    t,
    fc.property(body, (b) => {
      const gtin = `${b}${checkDigit(b)}`;
      const result = cleanBarcode(gtin);
      return isValidGtin(gtin) && result.barcode === gtin;
    }),
  );
});
test('property: the same GTIN-13 with any other check digit is rejected', (t) => {
  holds(
    t,
    fc.property(body, fc.integer({ min: 1, max: 9 }), (b, offset) => {
      const wrong = `${b}${(checkDigit(b) + offset) % 10}`;
      const result = cleanBarcode(wrong);
      return !isValidGtin(wrong) && result.barcode === null && 'rejected' in result && result.rejected === wrong;
    }),
  );
});
test('a code of digits alone (the short path) is answered as the same code given with a comma after it (the general path)', (t) => {
  const digits = fc.oneof(fc.stringMatching(/^\d{1,15}$/), fc.constantFrom('9310631635078', '012345678905', '00000000', '0000000000000', '10012345678902'));
  holds(
    t,
    fc.property(digits, (code) => {
      const short = cleanBarcode(code);
      const general = cleanBarcode(`${code},`);
      return short.barcode === general.barcode && ('rejected' in short ? short.rejected === code && general.barcode === null : general.barcode !== null);
    }),
  );
});
