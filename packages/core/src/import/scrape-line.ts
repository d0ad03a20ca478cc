/**
 * One line of a scrape file checked (./scrape-record.ts). The stores of a chain list the same
 * products, mostly at the same prices, so most lines of a day repeat another store's product text
 * byte for byte and differ only in their metadata. A line written as `{"product": P, "metadata":
 * M}` is checked in its two parts: P's checked product is kept by its text (per company, whose
 * name the product's key may need), and M's checked store is kept for the lines after it; a line
 * whose P was seen before is neither parsed nor checked again. That is the same verdict: the line
 * is a JSON object with exactly those two members, P and M are each valid JSON, and the product's
 * checks depend on nothing but P and the company. Any other layout, and any line with a problem,
 * is parsed whole and checked as before, so its reason reads as it always did.
 */
import { checkProduct, checkRecord, checkStore, isObject, rowAt, type LineVerdict, type ProductRecord, type RecordOptions, type StoreVerdict } from './scrape-record.js';

/** Products kept by their text before the cache starts over (about 1 kB each). */
const PRODUCT_CACHE_LIMIT = 50_000;

interface CheckedProduct {
  readonly record: ProductRecord;
  readonly rejectedBarcode: string | undefined;
}

/** By company, then by the product's text. */
const products = new Map<string, Map<string, CheckedProduct>>();
let productsCached = 0;

/** The last metadata text checked, for the options it was checked with (the lines of a file share both). */
let lastStore: { readonly text: string; readonly options: RecordOptions; readonly verdict: StoreVerdict | undefined } | undefined;

export function checkLine(text: string, lineNo: number, options: RecordOptions = {}): LineVerdict {
  const parts = recordParts(text);
  const store = parts && storeOf(parts.metadata, options);
  const product = store?.ok ? productOf(parts!.product, store.store.company) : undefined;
  if (!store?.ok || !product) return checkText(text, lineNo, options);
  return {
    ok: true,
    store: store.store,
    scrapedDate: store.scrapedDate,
    partial: store.partial,
    row: rowAt(product.record, lineNo),
    ...(product.rejectedBarcode !== undefined ? { rejectedBarcode: product.rejectedBarcode } : {}),
  };
}

/** The whole line parsed and checked. */
function checkText(text: string, lineNo: number, options: RecordOptions): LineVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `is not JSON (${text.length > 40 ? `${text.slice(0, 40)}…` : text || 'an empty line'})` };
  }
  return checkRecord(parsed, lineNo, options);
}

const PRODUCT_KEY = '{"product":';
const METADATA_KEY = '"metadata":';

/**
 * The texts of P and M in a line `{"product":P,"metadata":M}` (blanks allowed around the comma, and
 * inside P and M); undefined for any other layout. P and M are not checked here: a wrong cut (a
 * `"metadata":` key inside M) leaves a P that is not JSON, and the line is then parsed whole.
 */
export function recordParts(text: string): { readonly product: string; readonly metadata: string } | undefined {
  if (!text.startsWith(PRODUCT_KEY) || text.charCodeAt(text.length - 1) !== 0x7d /* } */) return undefined;
  const key = text.lastIndexOf(METADATA_KEY);
  if (key <= PRODUCT_KEY.length) return undefined;
  let comma = key - 1;
  while (comma > PRODUCT_KEY.length && isBlank(text.charCodeAt(comma))) comma--;
  if (text.charCodeAt(comma) !== 0x2c /* , */) return undefined;
  return { product: text.slice(PRODUCT_KEY.length, comma), metadata: text.slice(key + METADATA_KEY.length, text.length - 1) };
}

/** JSON's blanks: space, tab, line feed, carriage return. */
const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The store M names, checked without a product date (metadata without its own date goes the whole
 * way); undefined when M is not a JSON object.
 */
function storeOf(metadata: string, options: RecordOptions): StoreVerdict | undefined {
  if (lastStore?.text === metadata && lastStore.options === options) return lastStore.verdict;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    parsed = undefined;
  }
  const verdict = isObject(parsed) ? checkStore(parsed, undefined, options) : undefined;
  lastStore = { text: metadata, options, verdict };
  return verdict;
}

/** P's product, checked once per company and text; undefined when P is not JSON or its product has a problem. */
function productOf(text: string, company: string): CheckedProduct | undefined {
  let ofCompany = products.get(company);
  const known = ofCompany?.get(text);
  if (known) return known;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const verdict = isObject(parsed) ? checkProduct(parsed, company) : undefined;
  if (!verdict?.ok) return undefined;
  const checked: CheckedProduct = { record: verdict.record, rejectedBarcode: verdict.rejectedBarcode };
  if (productsCached >= PRODUCT_CACHE_LIMIT) {
    products.clear();
    productsCached = 0;
    ofCompany = undefined;
  }
  if (!ofCompany) products.set(company, (ofCompany = new Map()));
  ofCompany.set(ownCopy(text), checked);
  productsCached++;
  return checked;
}

/**
 * A string with no tie to the one it was cut from: a line read by the streamed path is a slice of
 * a whole chunk, which a kept key must not hold on to.
 */
const ownCopy = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
