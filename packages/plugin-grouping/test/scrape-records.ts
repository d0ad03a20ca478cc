/** Reads a real scrape file independently of the importer: the first record per SKU. */
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export interface FileRecord {
  price: number;
  was: number | null;
  special: boolean;
}

export async function readFirstRecords(file: string): Promise<{ company: string; storeId: string; scrapedDate: string; records: Map<string, FileRecord> }> {
  const records = new Map<string, FileRecord>();
  let company = '';
  let storeId = '';
  let scrapedDate = '';
  for await (const text of createInterface({ input: fs.createReadStream(file).pipe(createGunzip()) })) {
    if (!text.trim()) continue;
    const { product, metadata } = JSON.parse(text) as { product: { sku: string | number; price_current: number | string; price_was: number | null; is_on_special: boolean }; metadata: { company: string; store_id: string; scraped_date: string } };
    company ||= metadata.company.toLowerCase();
    storeId ||= String(metadata.store_id);
    scrapedDate ||= metadata.scraped_date;
    const sku = String(product.sku);
    if (!records.has(sku)) records.set(sku, { price: Number(product.price_current), was: product.price_was ?? null, special: product.is_on_special === true });
  }
  return { company, storeId, scrapedDate, records };
}
