/**
 * Barcodes (docs/normalisation.md): GTIN-8/12/13/14 with a correct GS1 check digit, stored in one form per item:
 * GTIN-12 (UPC-A) as 13 digits with a leading 0, a GTIN-14 with a leading 0 as its GTIN-13.
 */

/** A cleaned barcode, or none; `rejected` holds the raw text when something was there but no code in it was valid. */
export type BarcodeResult = { barcode: string } | { barcode: null; rejected?: string };

/** Values scrapers write for "no barcode" (compared case-insensitively). */
const NONE = new Set(['', 'null', 'notfound']);
const DIGITS = /^\d+$/;
const ALL_ZEROS = /^0+$/;

/** True for 8, 12, 13 or 14 digits whose last digit is the GS1 check digit of the others. */
export function isValidGtin(digits: string): boolean {
  if (!/^(?:\d{8}|\d{12,14})$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** The stored form of a valid GTIN: GTIN-12 → 13 digits, GTIN-14 with a leading 0 → GTIN-13. */
function storedForm(gtin: string): string {
  if (gtin.length === 12) return `0${gtin}`;
  if (gtin.length === 14 && gtin.startsWith('0')) return gtin.slice(1);
  return gtin;
}

/**
 * Cleans a scraped barcode. Null, undefined, empty, `null` and `notfound` are no barcode. A value
 * may hold several codes separated by commas: the first valid one wins. All-zero codes
 * (placeholders whose check digit happens to be right) are not valid. A number is read as its
 * digits. When something was given but no candidate is valid, the raw text comes back as `rejected`.
 */
export function cleanBarcode(raw: unknown): BarcodeResult {
  if (raw === null || raw === undefined) return { barcode: null };
  // The common case, one code of digits alone: the same answer as the general path below, without splitting.
  if (typeof raw === 'string' && DIGITS.test(raw)) return isValidGtin(raw) && !ALL_ZEROS.test(raw) ? { barcode: storedForm(raw) } : { barcode: null, rejected: raw };
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : JSON.stringify(raw) ?? String(raw);
  const candidates = text
    .split(',')
    .map((candidate) => candidate.trim())
    .filter((candidate) => !NONE.has(candidate.toLowerCase()));
  if (candidates.length === 0) return { barcode: null };
  const valid = candidates.find((candidate) => isValidGtin(candidate) && !ALL_ZEROS.test(candidate));
  return valid === undefined ? { barcode: null, rejected: text } : { barcode: storedForm(valid) };
}
