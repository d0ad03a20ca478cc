/**
 * One record of a scrape file (docs/input-format.md), parsed, checked and normalised into the row the
 * importer stages (./scrape-line.ts reads it from a line). A record that cannot be imported yields
 * a reason, phrased to follow "line N: ".
 */
import { categoryProblem, dateProblem, latestAcceptedDate, textProblem, unitPriceProblem } from './line-limits.js';
import { brandKey, cleanBarcode, productKey, productSizes, toDollars, unitPrice } from '../normalise/index.js';

export const MAX_PRICE = 100_000;

export interface StoreRef {
  /** Lower-case company name. */
  readonly company: string;
  readonly storeId: string;
  readonly storeName: string | null;
  readonly state: string | null;
}

export interface ImportRow {
  readonly lineNo: number;
  readonly sku: string;
  readonly name: string;
  readonly brand: string | null;
  readonly brandKey: string;
  readonly barcode: string | null;
  readonly nnbs: string;
  readonly sizes: readonly string[];
  readonly categoryPath: readonly string[];
  readonly price: number;
  readonly wasPrice: number | null;
  readonly isOnSpecial: boolean;
  readonly unitPrice: number | null;
  readonly unit: string | null;
  readonly isAvailable: boolean | null;
  /**
   * The row's {@link lineHash} (./store-digest.ts) when it is known already: worked out once for
   * a product part that many lines repeat (./scrape-line.ts). Undefined: worked out when needed.
   */
  readonly hash?: readonly [hi: number, lo: number] | undefined;
}

export type LineVerdict =
  | { readonly ok: true; readonly store: StoreRef; readonly scrapedDate: string; readonly row: ImportRow; readonly rejectedBarcode?: string; readonly partial: boolean }
  | { readonly ok: false; readonly reason: string };

export interface RecordOptions {
  /** Used when the metadata has no store_id (the 2026 Aldi catalogue). */
  readonly storeId?: string | undefined;
  /** Accept scraped dates more than a day ahead of the clock. */
  readonly allowFutureDates?: boolean | undefined;
  /** The clock (ms since 1970), for tests; default now. */
  readonly now?: number | undefined;
  /**
   * A company's store id in the one form its store registry holds (Coles' `0584` → `COL:584`), from
   * the installed scrapers; undefined keeps the id as written.
   */
  readonly canonicalStoreId?: ((company: string, storeId: string) => string | undefined) | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A record's product, checked and normalised: the row of every line that lists it, but for the line number. */
export type ProductRecord = Omit<ImportRow, 'lineNo' | 'hash'>;

export type StoreVerdict =
  | { readonly ok: true; readonly store: StoreRef; readonly scrapedDate: string; readonly partial: boolean }
  | { readonly ok: false; readonly reason: string };

export type ProductVerdict =
  | { readonly ok: true; readonly record: ProductRecord; readonly rejectedBarcode?: string }
  | { readonly ok: false; readonly reason: string };

/** A parsed line checked: its metadata first, then its product (the first problem found is the reason). */
export function checkRecord(parsed: unknown, lineNo: number, options: RecordOptions = {}): LineVerdict {
  if (!isObject(parsed) || !isObject(parsed.product) || !isObject(parsed.metadata)) {
    return { ok: false, reason: 'is not a {"product": {...}, "metadata": {...}} record' };
  }
  const store = checkStore(parsed.metadata, parsed.product.scraped_date, options);
  if (!store.ok) return store;
  const product = checkProduct(parsed.product, store.store.company);
  if (!product.ok) return product;
  return lineVerdict(store, product, lineNo);
}

/** The verdict of a line whose store and product both checked; `hash`: the product's line hash, when known. */
export function lineVerdict(
  store: Extract<StoreVerdict, { ok: true }>,
  product: { readonly record: ProductRecord; readonly rejectedBarcode?: string | undefined },
  lineNo: number,
  hash?: ImportRow['hash'],
): LineVerdict {
  return {
    ok: true,
    store: store.store,
    scrapedDate: store.scrapedDate,
    partial: store.partial,
    row: rowAt(product.record, lineNo, hash),
    ...(product.rejectedBarcode !== undefined ? { rejectedBarcode: product.rejectedBarcode } : {}),
  };
}

/**
 * A record's metadata checked: the store it names and the scraped date (the product's
 * `scraped_date` when the metadata has none).
 */
export function checkStore(metadata: Record<string, unknown>, productDate: unknown, options: RecordOptions = {}): StoreVerdict {
  const company = text_(metadata.company)?.toLowerCase();
  if (!company) return { ok: false, reason: 'has no metadata.company' };
  const written = text_(metadata.store_id) ?? options.storeId;
  if (!written) return { ok: false, reason: 'has no metadata.store_id (give one with --store-id)' };
  const storeId = options.canonicalStoreId?.(company, written) ?? written;
  const scrapedDate = text_(metadata.scraped_date) ?? text_(productDate);
  if (!scrapedDate || !DATE.test(scrapedDate)) {
    return { ok: false, reason: `has no valid metadata.scraped_date (YYYY-MM-DD), found ${JSON.stringify(metadata.scraped_date ?? null)}` };
  }
  const dateRefused = dateProblem(scrapedDate, options.allowFutureDates ? undefined : latestAcceptedDate(options.now));
  if (dateRefused) return { ok: false, reason: dateRefused };
  const storeName = text_(metadata.store_name) ?? null;
  const state = text_(metadata.state)?.toLowerCase() ?? null;
  const refused =
    textProblem('metadata.company', company) ??
    textProblem('metadata.store_id', storeId) ??
    textProblem('metadata.store_name', storeName) ??
    textProblem('metadata.state', state);
  if (refused) return { ok: false, reason: refused };
  // A scraper that could not finish every category marks its file partial: never a full sync.
  return { ok: true, store: { company, storeId, storeName, state }, scrapedDate, partial: metadata.partial === true };
}

/** A record's product checked and normalised; `company` (lower case) names a product that has no name or brand. */
export function checkProduct(product: Record<string, unknown>, company: string): ProductVerdict {
  const name = text_(product.name);
  if (!name) return { ok: false, reason: 'has no product name' };
  const sku = text_(product.sku);
  if (!sku) return { ok: false, reason: 'has no product sku' };
  const price = toDollars(product.price_current, 'dollars');
  if (price === null || price <= 0 || price >= MAX_PRICE) {
    const given = typeof product.price_current === 'number' && !Number.isFinite(product.price_current) ? 'a number too large to hold' : JSON.stringify(product.price_current ?? null);
    return { ok: false, reason: `has price_current ${given}, not a positive price below ${MAX_PRICE.toLocaleString('en-AU')}` };
  }
  const wasPrice = toDollars(product.price_was, 'dollars');
  const brand = text_(product.brand) ?? null;
  const size = text_(product.size) ?? null;
  const categoryPath = sharedPath(Array.isArray(product.category_path) ? product.category_path.map((c) => text_(c)).filter((c): c is string => Boolean(c)) : []);
  const unit = unitPrice(product);
  const refused =
    textProblem('product.sku', sku) ??
    textProblem('product.name', name) ??
    textProblem('product.brand', brand) ??
    textProblem('product.size', size) ??
    categoryProblem(categoryPath) ??
    unitPriceProblem(unit?.value, unit?.unit);
  if (refused) return { ok: false, reason: refused };
  const keys = productKeys(name, brand, size);
  const barcode = cleanBarcode(product.barcode);
  return {
    ok: true,
    record: {
      sku,
      // The first line's strings of the same text: a row kept until its batch is written holds
      // no copy of its own (less for the garbage collector to move).
      name: keys.name,
      brand: keys.brand,
      brandKey: keys.brandKey,
      barcode: barcode.barcode,
      // A name and brand without any letter or digit: the company's SKU names the product.
      nnbs: keys.nnbs !== '' ? keys.nnbs : productKey('', null, [], { company, sku }),
      sizes: keys.sizes,
      categoryPath,
      price,
      wasPrice: wasPrice !== null && wasPrice > 0 && wasPrice < MAX_PRICE ? wasPrice : null,
      isOnSpecial: product.is_on_special === true,
      unitPrice: unit?.value ?? null,
      unit: unit?.unit ?? null,
      isAvailable: typeof product.is_available === 'boolean' ? product.is_available : null,
    },
    ...('rejected' in barcode && barcode.rejected ? { rejectedBarcode: barcode.rejected } : {}),
  };
}

/** The row of a line listing `record` (every row built field by field: one shape for all); `hash`: the record's line hash, when known. */
export function rowAt(record: ProductRecord, lineNo: number, hash?: ImportRow['hash']): ImportRow {
  return {
    lineNo,
    sku: record.sku,
    name: record.name,
    brand: record.brand,
    brandKey: record.brandKey,
    barcode: record.barcode,
    nnbs: record.nnbs,
    sizes: record.sizes,
    categoryPath: record.categoryPath,
    price: record.price,
    wasPrice: record.wasPrice,
    isOnSpecial: record.isOnSpecial,
    unitPrice: record.unitPrice,
    unit: record.unit,
    isAvailable: record.isAvailable,
    hash,
  };
}

interface ProductKeys {
  /** The name and brand of the line the keys were first worked out for (the same text). */
  readonly name: string;
  readonly brand: string | null;
  readonly sizes: readonly string[];
  readonly nnbs: string;
  readonly brandKey: string;
}

/**
 * The same product appears in the file of every store of a company, so its keys are computed once
 * per process (bounded: the cache starts over past {@link KEY_CACHE_LIMIT} entries).
 */
const keyCache = new Map<string, Map<string, Map<string, ProductKeys>>>();
let keysCached = 0;
const KEY_CACHE_LIMIT = 200_000;

/** Looked up by name, then brand, then size: no key string is built per line. */
function productKeys(name: string, brand: string | null, size: string | null): ProductKeys {
  let byBrand = keyCache.get(name);
  let bySize = byBrand?.get(brand ?? '');
  let keys = bySize?.get(size ?? '');
  if (!keys) {
    const sizes = productSizes({ name, brand, size });
    keys = { name, brand, sizes, nnbs: productKey(name, brand, sizes), brandKey: brandKey(brand) };
    if (keysCached >= KEY_CACHE_LIMIT) {
      keyCache.clear();
      keysCached = 0;
      byBrand = undefined;
    }
    if (!byBrand) keyCache.set(name, (byBrand = new Map()));
    bySize = byBrand.get(brand ?? '');
    if (!bySize) byBrand.set(brand ?? '', (bySize = new Map()));
    bySize.set(size ?? '', keys);
    keysCached++;
  }
  return keys;
}

/** The last category path taken: the lines of a scrape come category by category. */
let lastPath: readonly string[] = [];

/** `path`, or the last path taken when it is the same (one array kept for the lines of a category). */
function sharedPath(path: readonly string[]): readonly string[] {
  if (path.length !== lastPath.length) return (lastPath = path);
  for (let i = 0; i < path.length; i++) if (path[i] !== lastPath[i]) return (lastPath = path);
  return lastPath;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty string from a string or a number (SKUs come as both). */
function text_(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
