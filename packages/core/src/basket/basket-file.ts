/**
 * A shopping list file for `basket split`: one `product or barcode, quantity` a line (quantity 1
 * when left out; blank lines and lines starting with # are skipped). A product is named by its
 * barcode, a SKU, `#id`, or words (the best search match).
 */
import type { Knex } from 'knex';
import { matchProduct } from '../catalogue/product-resolver.js';
import { InputError } from '../errors.js';
import { searchProducts } from '../search/product-search.js';
import { MAX_BASKET_ITEMS } from '../serve/limits.js';

export interface BasketLine {
  readonly line: number;
  readonly ref: string;
  readonly quantity: number;
}

export function parseBasketFile(text: string, file: string): BasketLine[] {
  const lines: BasketLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const match = /^(.*?)(?:\s*,\s*(\S+))?$/.exec(content)!;
    const ref = match[1]!.trim();
    const quantity = match[2] === undefined ? 1 : Number(match[2]);
    if (ref === '') throw new InputError(`${file} line ${index + 1} names no product; write "product or barcode, quantity".`, 'bad-basket-line');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 999) {
      throw new InputError(`${file} line ${index + 1}: the quantity "${match[2]}" is not a whole number from 1 to 999.`, 'bad-basket-line');
    }
    lines.push({ line: index + 1, ref, quantity });
  });
  if (lines.length === 0) throw new InputError(`${file} lists no products; write one "product or barcode, quantity" a line.`, 'empty-basket');
  if (lines.length > MAX_BASKET_ITEMS) throw new InputError(`${file} lists ${lines.length} products; a basket holds at most ${MAX_BASKET_ITEMS}.`, 'basket-too-large');
  return lines;
}

/**
 * The product a line names: what {@link matchProduct} finds (an id, `#id`, a barcode, a company
 * SKU such as `coles:3984766`, or words that name one product); where words match several products
 * or none exactly, the best typo-tolerant search match, as a shopping list means "the usual one".
 */
export async function resolveProductRef(knex: Knex, ref: string): Promise<number | undefined> {
  const match = await matchProduct(knex, ref.replace(/^#(?=\d+$)/, ''));
  if (match.kind === 'found') return match.product.id;
  if (/^#?\d+$/.test(ref.trim())) return undefined;
  const { items } = await searchProducts(knex, { q: ref, limit: 1 });
  return items[0]?.id;
}
