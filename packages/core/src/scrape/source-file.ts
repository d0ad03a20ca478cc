/**
 * A scrape file to enrich with barcodes (docs/barcodes.md), read and checked whole before any page is
 * fetched: every line a `{"product", "metadata"}` record with a SKU, one company throughout, and
 * the first line's metadata naming the store (`store_id`, `store_name`, `state`).
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { scrapeLines } from '../import/scrape-lines.js';
import { cleanBarcode } from '../normalise/barcode.js';
import { productKey } from '../normalise/product-key.js';
import { productSizes } from '../normalise/sizes.js';

export interface SourceRecord {
  readonly lineNo: number;
  /** The line exactly as read (without its line break). */
  readonly text: string;
  readonly sku: string;
  /** The product page address as scraped (absolute or relative), or null. */
  readonly url: string | null;
  /** A barcode the record already holds that passes the GS1 check, or null. */
  readonly barcode: string | null;
  /** The product key (docs/normalisation.md), for prefill by key. */
  readonly nnbs: string | null;
}

export interface SourceFile {
  readonly file: string;
  /** Lower-case company name of the records. */
  readonly company: string;
  readonly storeId: string;
  readonly records: readonly SourceRecord[];
}

export async function readSourceFile(file: string): Promise<SourceFile> {
  const records: SourceRecord[] = [];
  let company: string | undefined;
  let storeId = '';
  const name = path.basename(file);
  const bad = (lineNo: number, problem: string): never => {
    throw new InputError(`${file}:${lineNo} ${problem}; fix or remove that line (nothing was fetched and no file was changed), then run again.`, 'bad-line');
  };
  for await (const { lineNo, text } of scrapeLines(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      bad(lineNo, `is not JSON (${text.length > 40 ? `${text.slice(0, 40)}…` : text || 'an empty line'})`);
    }
    if (!isObject(parsed) || !isObject(parsed.product) || !isObject(parsed.metadata)) bad(lineNo, 'is not a {"product": {...}, "metadata": {...}} record');
    const { product, metadata } = parsed as { product: Record<string, unknown>; metadata: Record<string, unknown> };
    const lineCompany = textOf(metadata.company)?.toLowerCase();
    if (!lineCompany) bad(lineNo, 'has no metadata.company');
    if (company === undefined) {
      company = lineCompany!;
      for (const field of ['store_id', 'store_name', 'state']) {
        if (!textOf(metadata[field])) bad(lineNo, `(the first line) has no metadata.${field}, which names the store`);
      }
      storeId = textOf(metadata.store_id)!;
    } else if (lineCompany !== company) {
      bad(lineNo, `is a ${lineCompany} record in a ${company} file (line 1 is ${company})`);
    }
    const sku = textOf(product.sku);
    if (!sku) bad(lineNo, 'has no product.sku');
    if (product.url !== undefined && product.url !== null && typeof product.url !== 'string') bad(lineNo, `has a product.url that is not text (${JSON.stringify(product.url)})`);
    const productName = textOf(product.name);
    const brand = textOf(product.brand) ?? null;
    records.push({
      lineNo,
      text,
      sku: sku!,
      url: textOf(product.url) ?? null,
      barcode: cleanBarcode(product.barcode).barcode,
      nnbs: productName ? productKey(productName, brand, productSizes({ name: productName, brand, size: textOf(product.size) ?? null })) : null,
    });
  }
  if (company === undefined) throw new InputError(`${name} holds no records; remove it from the inbox or scrape it again.`, 'empty-file');
  return { file, company, storeId, records };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
