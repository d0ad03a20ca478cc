/**
 * Prefill (docs/barcodes.md): barcodes the database already knows, so their pages are never fetched. A record
 * takes the barcode of the product holding its SKU at that company; failing that, of the product
 * with its product key (nnbs). A known barcode beats a missing one: a SKU whose product has no
 * barcode still takes the barcode found by key.
 */
import type { BarcodeQuery, KnownBarcodes } from '../export/known-barcodes.js';

export interface PrefillWanted {
  readonly sku: string;
  readonly nnbs: string | null;
}

export interface Prefill {
  readonly barcode: string;
  readonly via: 'sku' | 'nnbs';
}

/** Where known barcodes come from: the database, or the export API of another trolley. */
export type BarcodeLookup = (query: BarcodeQuery) => Promise<KnownBarcodes>;

export async function prefillBarcodes(lookup: BarcodeLookup, company: string, wanted: readonly PrefillWanted[]): Promise<Map<string, Prefill>> {
  const skus = [...new Set(wanted.map((w) => w.sku))];
  const keys = [...new Set(wanted.map((w) => w.nnbs).filter((k): k is string => k !== null))];
  const known = await lookup({ company: company.toLowerCase(), skus, keys });
  const found = new Map<string, Prefill>();
  for (const w of wanted) {
    const sku = known.bySku[w.sku];
    if (sku) found.set(w.sku, { barcode: sku, via: 'sku' });
    else if (w.nnbs !== null && known.byKey[w.nnbs]) found.set(w.sku, { barcode: known.byKey[w.nnbs]!, via: 'nnbs' });
  }
  return found;
}
