/** Finds the product a user names: by id, by barcode, or by a part of its name that only one product has. */
import type { Knex } from 'knex';
import { InputError } from '@trolley/core';
import { text } from '../messages.js';

export interface FoundProduct {
  readonly id: number;
  readonly name: string;
  readonly brand: string | null;
  readonly barcode: string | null;
}

type Row = { id: number | string; name: string; brand: string | null; barcode: string | null };

export async function findProduct(knex: Knex, given: string): Promise<FoundProduct> {
  const query = () => knex('products as p').leftJoin('brands as b', 'b.id', 'p.brand_id').select<Row[]>('p.id', 'p.name', 'b.name as brand', 'p.barcode');
  const trimmed = given.trim();
  let rows: Row[] = [];
  if (/^\d+$/.test(trimmed)) {
    rows = await query().where('p.barcode', trimmed);
    if (rows.length === 0 && trimmed.length <= 15) rows = await query().where('p.id', Number(trimmed));
  }
  if (rows.length === 0) rows = await query().whereRaw('lower(p.name) like ?', [`%${trimmed.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]).orderBy('p.id').limit(6);
  if (rows.length === 0) throw new InputError(text.noProduct(given), 'unknown-product');
  if (rows.length > 1) throw new InputError(text.manyProducts(given, rows.slice(0, 5).map((r) => `${r.id} ${[r.brand, r.name].filter(Boolean).join(' ')}`)), 'ambiguous-product');
  const row = rows[0]!;
  return { id: Number(row.id), name: row.name, brand: row.brand, barcode: row.barcode };
}
