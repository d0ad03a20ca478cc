/**
 * One line of a scrape file checked (./scrape-record.ts): {@link checkLine} parses its text whole.
 *
 * {@link checkLineBytes} reads a line from the file's bytes without decoding it, when it can. The
 * stores of a chain list the same products, mostly at the same prices, so most lines of a day
 * repeat another store's product text byte for byte and differ only in their metadata. A line
 * written as `{"product":P,"metadata":M}` (blanks allowed around the comma and inside P and M) is
 * checked in its two parts: P's checked product is kept by its bytes (per company, whose name a
 * product's key may need), M's checked store for the lines after it (a file's lines share it), and
 * a line whose P was seen before is neither decoded, parsed nor checked again. That is the same
 * verdict as the whole parse's: the line is a JSON object with exactly those two members, P and M
 * are each valid JSON, and a product's checks depend on nothing but P and the company. Any other
 * layout, and any line with a problem, is left to the whole parse, whose reason reads as it always did.
 */
import { checkProduct, checkRecord, checkStore, isObject, lineVerdict, type LineVerdict, type ProductRecord, type RecordOptions, type StoreVerdict } from './scrape-record.js';
import { lineHash, type LineHash } from './store-digest.js';

/** The whole line parsed and checked. */
export function checkLine(text: string, lineNo: number, options: RecordOptions = {}): LineVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `is not JSON (${text.length > 40 ? `${text.slice(0, 40)}…` : text || 'an empty line'})` };
  }
  return checkRecord(parsed, lineNo, options);
}

/** Products kept by their bytes before the cache starts over (about 1 kB each). */
const PRODUCT_CACHE_LIMIT = 50_000;
/** Products kept under one {@link sampledKey}: a line whose product is none of them is parsed. */
const BUCKET_LIMIT = 16;

interface CheckedProduct {
  /** P's bytes, which a line must repeat exactly. */
  readonly bytes: Buffer;
  readonly record: ProductRecord;
  readonly rejectedBarcode: string | undefined;
  /** The record's line hash (./store-digest.ts), which every row of it carries. */
  readonly hash: LineHash;
}

/** By company, then by {@link sampledKey}: the products whose bytes gave that key. */
const products = new Map<string, Map<number, CheckedProduct[]>>();
let productsCached = 0;

/** The last metadata bytes checked, for the options they were checked with (the lines of a file share both). */
let lastStore: { readonly bytes: Buffer; readonly options: RecordOptions; readonly verdict: StoreVerdict | undefined } | undefined;

const PRODUCT_KEY = Buffer.from('{"product":');
const METADATA_KEY = Buffer.from('"metadata":');
const CLOSE = 0x7d; // }
const COMMA = 0x2c;

/**
 * The verdict of the line `bytes[start, end)` (valid UTF-8), when it is laid out as
 * `{"product":P,"metadata":M}` and both parts check; undefined when it must be decoded and parsed
 * whole with {@link checkLine} (another layout, or a problem to report).
 */
export function checkLineBytes(bytes: Buffer, start: number, end: number, lineNo: number, options: RecordOptions): LineVerdict | undefined {
  const product = start + PRODUCT_KEY.length;
  if (end - start < PRODUCT_KEY.length + METADATA_KEY.length + 2 || bytes[end - 1] !== CLOSE || !bytesAt(bytes, start, PRODUCT_KEY)) return undefined;
  const key = lastKeyBefore(bytes, product, end);
  if (key < 0) return undefined;
  let comma = key - 1;
  while (comma > product && isBlank(bytes[comma]!)) comma--;
  if (bytes[comma] !== COMMA) return undefined;
  const store = storeOf(bytes, key + METADATA_KEY.length, end - 1, options);
  if (!store?.ok) return undefined;
  const checked = productOf(bytes, product, comma, store.store.company);
  return checked && lineVerdict(store, checked, lineNo, checked.hash);
}

/** The store M (`bytes[from, to)`) names, checked without a product date: metadata without its own date goes the whole way. */
function storeOf(bytes: Buffer, from: number, to: number, options: RecordOptions): StoreVerdict | undefined {
  if (lastStore !== undefined && lastStore.options === options && lastStore.bytes.length === to - from && bytes.compare(lastStore.bytes, 0, to - from, from, to) === 0) {
    return lastStore.verdict;
  }
  const parsed = parsedAt(bytes, from, to);
  const verdict = isObject(parsed) ? checkStore(parsed, undefined, options) : undefined;
  lastStore = { bytes: Buffer.from(bytes.subarray(from, to)), options, verdict };
  return verdict;
}

/** P's (`bytes[from, to)`) product, checked once per company and bytes; undefined when P is not JSON or its product has a problem. */
function productOf(bytes: Buffer, from: number, to: number, company: string): CheckedProduct | undefined {
  const key = sampledKey(bytes, from, to);
  let ofCompany = products.get(company);
  const bucket = ofCompany?.get(key);
  if (bucket) {
    for (const known of bucket) if (known.bytes.length === to - from && bytes.compare(known.bytes, 0, to - from, from, to) === 0) return known;
    if (bucket.length >= BUCKET_LIMIT) return undefined;
  }
  const parsed = parsedAt(bytes, from, to);
  const verdict = isObject(parsed) ? checkProduct(parsed, company) : undefined;
  if (!verdict?.ok) return undefined;
  const checked: CheckedProduct = { bytes: Buffer.from(bytes.subarray(from, to)), record: verdict.record, rejectedBarcode: verdict.rejectedBarcode, hash: lineHash(verdict.record) };
  if (productsCached >= PRODUCT_CACHE_LIMIT) {
    products.clear();
    productsCached = 0;
    ofCompany = undefined;
  }
  if (!ofCompany) products.set(company, (ofCompany = new Map()));
  const kept = ofCompany.get(key);
  if (kept) kept.push(checked);
  else ofCompany.set(key, [checked]);
  productsCached++;
  return checked;
}

/** The JSON value of `bytes[from, to)`; undefined when it is not JSON. */
function parsedAt(bytes: Buffer, from: number, to: number): unknown {
  try {
    return JSON.parse(bytes.toString('utf8', from, to));
  } catch {
    return undefined;
  }
}

/** Bytes sampled from a product's text: each of a few thousand products its own key (all are compared on a hit). */
const SAMPLES = 64;

/** A number key from the length of `bytes[from, to)` and {@link SAMPLES} of its bytes spread over it. */
export function sampledKey(bytes: Buffer, from: number, to: number): number {
  const length = to - from;
  const step = length > SAMPLES ? Math.floor(length / SAMPLES) : 1;
  let h1 = length;
  let h2 = length ^ 0x5bd1e995;
  for (let i = from; i < to; i += step) {
    const c = bytes[i]!;
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  return (h1 >>> 0) * 2097152 + (h2 >>> 11);
}

/** Whether `bytes` hold `word` at `at`. */
function bytesAt(bytes: Buffer, at: number, word: Buffer): boolean {
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word[k]) return false;
  return true;
}

/** Where the last `"metadata":` in `bytes[from, to)` begins (searched backwards: M is the line's end); -1 when none. */
function lastKeyBefore(bytes: Buffer, from: number, to: number): number {
  for (let at = to - METADATA_KEY.length; at > from; at--) if (bytes[at] === 0x22 && bytesAt(bytes, at, METADATA_KEY)) return at;
  return -1;
}

/** JSON's blanks: space, tab, line feed, carriage return. */
const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
