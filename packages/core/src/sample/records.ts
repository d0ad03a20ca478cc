/**
 * Scrape records (docs/input-format.md) of the sample, written like the real scraper wrote them: Python's
 * `json.dumps` layout (`", "` and `": "` separators, non-ASCII escaped as `\uXXXX`), one
 * `{"product": {...}, "metadata": {...}}` per line. A line is assembled from fragments: the parts
 * that never change are serialised once per product, the price fields once per zone and day.
 */
import { createHash } from 'node:crypto';
import type { CompanyProduct } from './catalogue.js';
import type { SampleCompany } from './companies.js';
import type { UnitMeasure } from './sizes.js';
import type { SampleStore } from './stores.js';

type Scalar = string | number | boolean | null;

/** A string as Python's json.dumps writes it (ASCII only). */
export function pyString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function pyValue(value: Scalar | readonly string[]): string {
  if (Array.isArray(value)) return `[${value.map((v: string) => pyString(v)).join(', ')}]`;
  if (typeof value === 'string') return pyString(value);
  return JSON.stringify(value);
}

function fields(entries: ReadonlyArray<readonly [string, Scalar | readonly string[]]>): string {
  return entries.map(([key, value]) => `"${key}": ${pyValue(value)}`).join(', ');
}

export interface RecordOptions {
  /** Older files: `normalized_name_brand_size` without spaces (or any separator) and no `price_hash`. */
  readonly legacyKeys: boolean;
  /** Aldi `unit_price` divided by 100 twice, as in the real 2025 Aldi files. */
  readonly aldiUnitPriceDividedTwice: boolean;
}

/** The fixed fragments of one product's line. */
export interface ProductFragments {
  /** `{"product": {"sku": ..., ... "category_path": [...], ` */
  readonly head: string;
  /** `"normalized_name_brand_size": "...", ` */
  readonly key: string;
  /** `"image_url": "..."}, "metadata": ` */
  readonly tail: string;
}

export function productFragments(product: CompanyProduct, options: RecordOptions): ProductFragments {
  const nnbs = options.legacyKeys ? product.nnbs.replace(/[^a-z0-9]/g, '') : product.nnbs;
  return {
    head: `{"product": {${fields([
      ['sku', product.sku],
      ['name', product.name],
      ['brand', product.brand],
      ['barcode', product.barcode],
      ['size', product.size],
      ['sizes', product.sizes],
      ['url', product.url],
      ['category_path', product.categoryPath],
    ])}, `,
    key: `"normalized_name_brand_size": ${pyString(nnbs)}, `,
    tail: `"image_url": ${pyString(product.imageUrl)}}, "metadata": `,
  };
}

/** `"scraped_date": "..."` of the product, then the store's metadata and the end of the line. */
export function dayFragments(store: SampleStore, date: string): { date: string; metadata: string } {
  return {
    date: `"scraped_date": "${date}", `,
    metadata: `{${fields([
      ['company', store.company],
      ['store_name', store.storeName],
      ['store_id', store.storeId],
      ['state', store.state],
      ['scraped_date', date],
    ])}}}`,
  };
}

const UNIT_LABELS: Readonly<Record<SampleCompany, Readonly<Record<UnitMeasure['unit'], string>>>> = {
  coles: { g: 'g', kg: 'kg', ml: 'mL', l: 'L', ea: 'ea' },
  woolworths: { g: 'G', kg: 'KG', ml: 'ML', l: 'L', ea: 'EA' },
  aldi: { g: 'g', kg: 'kg', ml: 'ml', l: 'l', ea: 'each' },
  iga: { g: 'g', kg: 'kg', ml: 'ml', l: 'l', ea: 'each' },
};

const BASE_UNIT: Readonly<Record<UnitMeasure['unit'], string>> = { g: 'kg', kg: 'kg', ml: 'l', l: 'l', ea: 'each' };

function dollars(cents: number): number {
  return cents / 100;
}

/** The unit price fields in the chain's style, for a shelf price in cents. */
function unitFields(company: SampleCompany, measure: UnitMeasure, cents: number, options: RecordOptions): Array<[string, Scalar]> {
  const perMeasure = Math.max(1, Math.round(cents / measure.divisor));
  const perBase = Math.max(1, Math.round(cents / measure.baseDivisor));
  const value = dollars(perMeasure);
  const label = UNIT_LABELS[company][measure.unit];
  const text = value.toFixed(2);
  switch (company) {
    case 'coles':
      return [
        ['per_unit_price_string', `$${text} per ${measure.per}${label}`],
        ['per_unit_price_value', value],
        ['per_unit_price_measure', `${measure.per}${label}`],
        ['unit_price', value],
        ['unit_of_measure', `${measure.per}${label}`],
      ];
    case 'woolworths':
      return [
        ['per_unit_price_string', `$${text} / ${measure.per}${label}`],
        ['per_unit_price_value', value],
        ['per_unit_price_measure', `${measure.per}${label}`],
        ['unit_price', value],
        ['unit_of_measure', `${measure.per}${label}`],
      ];
    case 'aldi':
      return [
        ['per_unit_price_string', `$${text} per ${measure.per} ${label}`],
        ['per_unit_price_value', value],
        ['per_unit_price_measure', null],
        ['unit_price', options.aldiUnitPriceDividedTwice ? Math.round(perBase / 100) / 100 : dollars(perBase)],
        ['unit_of_measure', `1${BASE_UNIT[measure.unit]}`],
      ];
    case 'iga': {
      const string = measure.unit === 'ea' ? `$${text} each` : measure.per === 100 ? `$${text}/100${label}` : `$${text}/${label}`;
      return [
        ['per_unit_price_string', string],
        ['per_unit_price_value', null],
        ['per_unit_price_measure', null],
        ['unit_price', dollars(perBase)],
        ['unit_of_measure', `1${BASE_UNIT[measure.unit]}`],
      ];
    }
  }
}

/** The price fragments of one product at one price: `"price_current": ... "is_available": ..., ` and `"price_hash": "...", `. */
export function priceFragments(
  company: SampleCompany,
  product: CompanyProduct,
  current: number,
  was: number,
  available: boolean,
  options: RecordOptions,
): { prices: string; hash: string } {
  const entries: Array<[string, Scalar]> = [
    ['price_current', dollars(current)],
    ['price_was', was > 0 ? dollars(was) : null],
    ['is_on_special', was > 0],
    ...unitFields(company, product.measure, current, options),
    ['is_available', available],
  ];
  const prices = `${fields(entries)}, `;
  if (options.legacyKeys) return { prices, hash: '' };
  const digest = createHash('md5')
    .update(`${current}|${was}|${entries[3]?.[1] ?? ''}`)
    .digest('hex');
  return { prices, hash: `"price_hash": "${digest}", ` };
}
