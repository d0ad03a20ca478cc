/**
 * Prefill (SPEC §4): barcodes the database already knows, so their pages are never fetched. A record
 * takes the barcode of the product holding its SKU at that company; failing that, of the product
 * with its product key (nnbs). A known barcode beats a missing one: a SKU whose product has no
 * barcode still takes the barcode found by key.
 */
import type { Knex } from 'knex';

export interface PrefillWanted {
  readonly sku: string;
  readonly nnbs: string | null;
}

export interface Prefill {
  readonly barcode: string;
  readonly via: 'sku' | 'nnbs';
}

const CHUNK = 1000;

export async function prefillBarcodes(knex: Knex, company: string, wanted: readonly PrefillWanted[]): Promise<Map<string, Prefill>> {
  const bySku = new Map<string, string>();
  const byKey = new Map<string, string>();
  const skus = [...new Set(wanted.map((w) => w.sku))];
  const keys = [...new Set(wanted.map((w) => w.nnbs).filter((k): k is string => k !== null))];
  for (let i = 0; i < skus.length; i += CHUNK) {
    const rows = (await knex('product_skus as ps')
      .join('companies as c', 'c.id', 'ps.company_id')
      .join('products as p', 'p.id', 'ps.product_id')
      .where('c.name', company.toLowerCase())
      .whereNotNull('p.barcode')
      .whereIn('ps.sku', skus.slice(i, i + CHUNK))
      .select('ps.sku', 'p.barcode')) as Array<{ sku: string; barcode: string }>;
    for (const row of rows) bySku.set(row.sku, row.barcode);
  }
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = (await knex('products').whereNotNull('barcode').whereIn('nnbs', keys.slice(i, i + CHUNK)).select('nnbs', 'barcode')) as Array<{ nnbs: string; barcode: string }>;
    for (const row of rows) byKey.set(row.nnbs, row.barcode);
  }
  const found = new Map<string, Prefill>();
  for (const w of wanted) {
    const sku = bySku.get(w.sku);
    if (sku) found.set(w.sku, { barcode: sku, via: 'sku' });
    else if (w.nnbs !== null && byKey.has(w.nnbs)) found.set(w.sku, { barcode: byKey.get(w.nnbs)!, via: 'nnbs' });
  }
  return found;
}
