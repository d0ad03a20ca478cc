/**
 * Finds the product a person means: a product id, a barcode (GTIN-8/12/13/14, normalised as the
 * importer stores it), a company SKU written `company:sku` (`coles:3984766`), or words of its name
 * and brand. Words match every product whose name and brand contain them all, ranked: the exact
 * name first, then names starting with the words, then the shortest names. One match is the
 * product; several are listed so the caller can ask which.
 */
import type { Knex } from 'knex';
import { InputError } from '../errors.js';
import type { ProductId } from '../extensions/api.js';
import { cleanBarcode } from '../normalise/barcode.js';

export interface ProductSummary {
  readonly id: ProductId;
  readonly name: string;
  readonly brand: string | null;
  readonly barcode: string | null;
  readonly sizes: readonly string[];
}

export type ProductMatch =
  | { readonly kind: 'found'; readonly by: 'id' | 'barcode' | 'sku' | 'name'; readonly product: ProductSummary }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly ProductSummary[] }
  | { readonly kind: 'none' };

/** Candidates listed for an ambiguous name. */
export const MAX_CANDIDATES = 10;

const SUMMARY = `select p.id, p.name, b.name as brand, p.barcode, p.sizes from products p left join brands b on b.id = p.brand_id`;

type Row = { id: string | number; name: string; brand: string | null; barcode: string | null; sizes: string[] };
const toSummary = (r: Row): ProductSummary => ({ id: Number(r.id), name: r.name, brand: r.brand, barcode: r.barcode, sizes: [...r.sizes] });
const rows = (result: unknown) => (result as { rows: Row[] }).rows;

export async function matchProduct(knex: Knex, text: string): Promise<ProductMatch> {
  const query = text.trim();
  if (query === '') return { kind: 'none' };
  if (/^\d+$/.test(query)) {
    const barcode = query.length >= 8 ? cleanBarcode(query).barcode : null;
    if (barcode) {
      const [found] = rows(await knex.raw(`${SUMMARY} where p.barcode = ?`, [barcode]));
      if (found) return { kind: 'found', by: 'barcode', product: toSummary(found) };
    }
    const id = Number(query);
    if (Number.isSafeInteger(id)) {
      const [found] = rows(await knex.raw(`${SUMMARY} where p.id = ?`, [id]));
      if (found) return { kind: 'found', by: 'id', product: toSummary(found) };
    }
  }
  const sku = /^([a-z][a-z ]*):(.+)$/i.exec(query);
  if (sku) {
    const found = rows(
      await knex.raw(`${SUMMARY} join product_skus k on k.product_id = p.id join companies c on c.id = k.company_id where c.name = lower(?) and k.sku = ? order by p.id`, [sku[1]!.trim(), sku[2]!.trim()]),
    );
    if (found.length === 1) return { kind: 'found', by: 'sku', product: toSummary(found[0]!) };
    if (found.length > 1) return { kind: 'ambiguous', candidates: found.slice(0, MAX_CANDIDATES).map(toSummary) };
  }
  return matchByWords(knex, query);
}

async function matchByWords(knex: Knex, query: string): Promise<ProductMatch> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const patterns = `{${words.map((w) => `"${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  const phrase = words.join(' ');
  const found = rows(
    await knex.raw(
      `${SUMMARY}
       where lower(p.name || ' ' || coalesce(b.name, '')) like all (?::text[])
       order by (lower(p.name) = ? or lower(coalesce(b.name, '') || ' ' || p.name) = ?) desc, lower(p.name) like ? desc, length(p.name), p.id
       limit ?`,
      [patterns, phrase, phrase, `${phrase.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, MAX_CANDIDATES + 1],
    ),
  );
  if (found.length === 0) return { kind: 'none' };
  const exact = found.filter((r) => r.name.toLowerCase() === phrase || `${(r.brand ?? '').toLowerCase()} ${r.name.toLowerCase()}` === phrase);
  if (found.length === 1 || exact.length === 1) return { kind: 'found', by: 'name', product: toSummary(exact.length === 1 ? exact[0]! : found[0]!) };
  return { kind: 'ambiguous', candidates: found.slice(0, MAX_CANDIDATES).map(toSummary) };
}

/** A product summary as one short line: `12 Dairy Farmers Full Cream Milk (Dairy Farmers) 2l`. */
export function describeProduct(p: ProductSummary): string {
  return `${p.id} ${p.name}${p.brand ? ` (${p.brand})` : ''}${p.sizes.length > 0 ? ` ${p.sizes.join(' ')}` : ''}`;
}

/**
 * The one product `text` names, or an input error (exit 3): nothing matches, or several do (the
 * error lists them, so the person can name one by id).
 */
export async function resolveProduct(knex: Knex, text: string): Promise<ProductSummary> {
  const match = await matchProduct(knex, text);
  if (match.kind === 'found') return match.product;
  if (match.kind === 'none') {
    throw new InputError(`No product matches ${JSON.stringify(text)}; give a product id, a barcode, a company SKU such as coles:3984766, or words of its name.`, 'unknown-product');
  }
  const more = match.candidates.length > MAX_CANDIDATES - 1 ? ' (and more)' : '';
  throw new AmbiguousProductError(
    `${JSON.stringify(text)} matches several products${more}: ${match.candidates.map(describeProduct).join('; ')}; name one by its id.`,
    match.candidates,
  );
}

export class AmbiguousProductError extends InputError {
  constructor(message: string, readonly candidates: readonly ProductSummary[]) {
    super(message, 'ambiguous-product');
  }
}
