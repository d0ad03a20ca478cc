/**
 * Koala Grocer (an invented chain) as this plugin knows it — the one file to change when the site
 * changes: `GET /api/stores/{store}/aisles` lists the aisles; `GET /api/stores/{store}/aisles/{slug}?page=N`
 * gives 50 products a page and says `hasMore: false` on the last one.
 */
import type { ListedProduct } from '@trolley/core';
import { arrayAt, dollarsOf, isObject, MalformedBody, parseJson, text, type ListingSite } from '@trolley/scraper-kit/site';

export const KOALA = 'https://shop.koalagrocer.example';

export const koalaProducts: ListingSite = {
  name: 'koala',
  defaultBaseUrl: KOALA,
  categoriesRequest: (store) => ({ url: `${KOALA}/api/stores/${encodeURIComponent(store)}/aisles` }),
  readCategories: (body) =>
    arrayAt(parseJson(body), 'aisles').map((aisle) => {
      if (!isObject(aisle) || !text(aisle.slug)) throw new MalformedBody('an aisle has no slug');
      return { key: text(aisle.slug)!, name: text(aisle.title) ?? text(aisle.slug)! };
    }),
  pageRequest: (at) => ({ url: `${KOALA}/api/stores/${encodeURIComponent(at.storeId)}/aisles/${encodeURIComponent(at.category.key)}?page=${at.page}` }),
  readPage: (body, at) => {
    const page = parseJson(body);
    return { products: arrayAt(page, 'products').map((raw) => koalaProduct(raw, at.category.name)), last: isObject(page) && page.hasMore === false };
  },
};

export function koalaProduct(raw: unknown, aisle: string): ListedProduct {
  if (!isObject(raw) || !text(raw.code) || !text(raw.title)) throw new MalformedBody('a product has no code or title');
  const price = dollarsOf(raw.price);
  const was = dollarsOf(raw.wasPrice);
  return {
    sku: text(raw.code)!,
    name: text(raw.title)!,
    brand: text(raw.maker),
    barcode: text(raw.ean),
    size: text(raw.pack),
    url: `${KOALA}/p/${text(raw.code)}`,
    image_url: null,
    category_path: ['Koala Grocer', aisle],
    price_current: price,
    price_was: was !== null && price !== null && was > price ? was : null,
    is_on_special: was !== null && price !== null && was > price,
    per_unit_price_string: text(raw.unitPrice),
    per_unit_price_value: null,
    per_unit_price_measure: null,
    is_available: raw.inStock !== false,
  };
}
