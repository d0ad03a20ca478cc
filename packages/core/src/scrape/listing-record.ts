/**
 * A product a scraper cleaned from a listing ({@link ListedProduct}) → one line of a scrape file
 * (the record format `trolley import` reads). The kernel derives what every chain must agree on
 * with its own normalisation: the standardised sizes, the product key, the brand key, the unit
 * price per 1 kg, 1 l or 1 each, and the barcode (kept only when its GS1 check digit is right).
 */
import type { ListedProduct } from '../extensions/api.js';
import { brandKey, cleanBarcode, productKey, productSizes, unitPrice } from '../normalise/index.js';

/** The metadata every line of a store's file carries. */
export interface RecordMetadata {
  readonly company: string;
  readonly store_id: string;
  readonly store_name: string;
  readonly state: string | null;
  readonly scraped_date: string;
  /** Set on a file whose scrape could not finish every category: `trolley import` only upserts it. */
  readonly partial?: true;
  readonly failed_categories?: readonly string[];
}

export interface ScrapeRecord {
  readonly product: Record<string, unknown>;
  readonly metadata: RecordMetadata;
}

export function listingRecord(listed: ListedProduct, metadata: RecordMetadata): ScrapeRecord {
  const name = listed.name.trim();
  const brand = listed.brand?.trim() || null;
  const size = listed.size?.trim() || null;
  const sizes = productSizes({ name, brand, size });
  const barcode = cleanBarcode(listed.barcode);
  const unit = unitPrice(listed);
  const { extras, ...fields } = listed;
  return {
    product: {
      ...(extras ?? {}),
      ...fields,
      sku: fields.sku,
      name,
      brand,
      size,
      barcode: barcode.barcode,
      category_path: [...fields.category_path],
      unit_price: unit?.value ?? null,
      unit_of_measure: unit ? `1${unit.unit}` : null,
      normalized_brand: brandKey(brand),
      sizes,
      normalized_name_brand_size: productKey(name, brand, sizes),
      scraped_date: metadata.scraped_date,
    },
    metadata,
  };
}
