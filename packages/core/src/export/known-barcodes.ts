/**
 * The barcodes the database knows for a company's SKUs and for product keys (nnbs): what the
 * scraper's prefill needs, read from the database directly or through `trolley serve`.
 */
import type { Knex } from 'knex';
import { textArray } from '../db/sql-arrays.js';

export interface BarcodeQuery {
  /** Lower-case company name the SKUs belong to. */
  readonly company?: string | undefined;
  readonly skus?: readonly string[] | undefined;
  readonly keys?: readonly string[] | undefined;
}

export interface KnownBarcodes {
  /** SKU → barcode of the product holding that SKU at the company. */
  readonly bySku: Record<string, string>;
  /** Product key → barcode. */
  readonly byKey: Record<string, string>;
}

/** The most SKUs plus keys one request may ask about. */
export const MAX_BARCODE_QUERY = 5_000;

export async function knownBarcodes(knex: Knex, query: BarcodeQuery): Promise<KnownBarcodes> {
  const bySku: Record<string, string> = {};
  const byKey: Record<string, string> = {};
  const skus = [...new Set(query.skus ?? [])];
  const keys = [...new Set(query.keys ?? [])];
  for (let i = 0; i < skus.length; i += 1000) {
    const rows = await knex.raw<{ rows: Array<{ sku: string; barcode: string }> }>(
      `select ps.sku, p.barcode from product_skus ps join companies c on c.id = ps.company_id join products p on p.id = ps.product_id
       where c.name = ? and p.barcode is not null and ps.sku = any(?::text[])`,
      [(query.company ?? '').toLowerCase(), textArray(skus.slice(i, i + 1000))],
    );
    for (const r of rows.rows) bySku[r.sku] = r.barcode;
  }
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await knex.raw<{ rows: Array<{ nnbs: string; barcode: string }> }>(`select nnbs, barcode from products where barcode is not null and nnbs = any(?::text[])`, [textArray(keys.slice(i, i + 1000))]);
    for (const r of rows.rows) byKey[r.nnbs] = r.barcode;
  }
  return { bySku, byKey };
}
