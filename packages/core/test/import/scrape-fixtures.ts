/** Writes small scrape files in the real format for import tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Trimmed copies of real scrape files (test/fixtures/real/README.md), laid out as the full folder. */
export { REAL_FIXTURES as REAL } from '../../src/testing/real-data.js';

export interface ProductFields {
  sku: string | number;
  name: string;
  brand?: string | null;
  barcode?: string | null;
  size?: string | null;
  price_current: number | string;
  price_was?: number | null;
  is_on_special?: boolean;
  category_path?: string[];
  per_unit_price_string?: string;
}

export function line(product: ProductFields, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({
    product: { brand: null, barcode: null, size: null, price_was: null, is_on_special: false, category_path: ['Pantry', 'Rice'], ...product },
    metadata: { company: 'aldi', store_id: 'G1', store_name: 'test store', state: 'nsw', scraped_date: '2026-01-01', ...metadata },
  });
}

export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-import-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeScrape(dir: string, name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  const text = lines.map((l) => `${l}\n`).join('');
  fs.writeFileSync(file, name.endsWith('.gz') ? gzipSync(text) : text);
  return file;
}

/** `n` products `P0..Pn-1` of one store, priced 1.00 + i cents. */
export function products(n: number, metadata: Record<string, unknown> = {}, price = (i: number) => 1 + i / 100): string[] {
  return Array.from({ length: n }, (_, i) => line({ sku: `P${i}`, name: `Product ${i} 500g`, brand: 'ACME', price_current: price(i) }, metadata));
}
