/**
 * Everything this plugin knows about IGA's online shop, in one place: endpoints, headers, paging
 * and the field paths of its JSON. When the site changes, this is the file to change.
 *
 * Products: a visit to the home page first, with the cookie that selects the store; then the
 * store's category hierarchy, and each leaf category through the search API by `skip`/`take`. The
 * API repeats its last page instead of answering an empty one, so a page whose SKUs equal the
 * previous page's ends a category (the kit's rule for every chain), as does an empty page.
 */
import { randomUUID } from 'node:crypto';
import type { ListedProduct, ListingCategory } from '@trolley/core';
import { arrayAt, dollarsOf, isObject, MalformedBody, num, parseJson, text, type ListingSite, type PageAt } from '@trolley/scraper-kit/site';

export const IGA = 'https://www.igashop.com.au';
export const PAGE_SIZE = 40;

const HEADERS = { Referer: `${IGA}/` };
/** One search session per process, as a browser tab has. */
const SESSION_ID = randomUUID();

export const igaProducts: ListingSite = {
  name: 'iga',
  defaultBaseUrl: IGA,
  headers: HEADERS,
  session: () => [{ url: `${IGA}/`, headers: { Accept: 'text/html,application/xhtml+xml' } }],
  storeCookies: (store) => `iga-shop.retailerStoreId=${store}`,
  categoriesRequest: (store) => ({ url: `${IGA}/api/storefront/stores/${encodeURIComponent(store)}/categoryHierarchy` }),
  readCategories: (body) => leaves(parseJson(body)),
  pageRequest: (at: PageAt) => ({
    url: `${IGA}/api/storefront/stores/${encodeURIComponent(at.storeId)}/categories/${encodeURIComponent(at.category.key)}/search?${new URLSearchParams({
      take: String(PAGE_SIZE),
      skip: String((at.page - 1) * PAGE_SIZE),
      sessionId: SESSION_ID,
    })}`,
  }),
  readPage: (body) => ({ products: arrayAt(parseJson(body), 'items').map(igaProduct) }),
};

/** The leaves of `{identifier, displayName, children}`, depth first. */
function leaves(root: unknown): ListingCategory[] {
  const found: ListingCategory[] = [];
  const walk = (node: unknown, depth: number) => {
    if (!isObject(node)) throw new MalformedBody('a category is not an object');
    const children = Array.isArray(node.children) ? node.children : [];
    if (children.length > 0) children.forEach((child) => walk(child, depth + 1));
    else if (depth > 0) {
      const key = text(node.identifier);
      if (!key) throw new MalformedBody('a category has no identifier');
      found.push({ key, name: text(node.displayName) ?? key });
    }
  };
  walk(root, 0);
  if (found.length === 0) throw new MalformedBody('the category hierarchy has no categories');
  return found;
}

export function igaProduct(raw: unknown): ListedProduct {
  if (!isObject(raw)) throw new MalformedBody('a product is not an object');
  const sku = text(raw.productId) ?? text(raw.sku);
  const name = text(raw.name);
  if (!sku || !name) throw new MalformedBody(`a product has no ${sku ? 'name' : 'productId'}`);
  const price = num(raw.priceNumeric) ?? dollarsOf(raw.price);
  const was = dollarsOf(raw.wasPrice) ?? num(raw.wasWholePrice);
  const size = isObject(raw.unitOfSize) ? raw.unitOfSize : {};
  const sizeText = num(size.size) !== null ? `${num(size.size)}${text(size.abbreviation) ?? ''}` : null;
  const category = Array.isArray(raw.defaultCategory) && isObject(raw.defaultCategory[0]) ? text(raw.defaultCategory[0].categoryBreadcrumb) : null;
  const image = isObject(raw.image) ? text(raw.image.default) : null;
  return {
    sku,
    name,
    brand: text(raw.brand),
    barcode: text(raw.barcode),
    size: sizeText,
    url: null,
    image_url: image,
    category_path: category ? category.split('/').map((c) => c.trim()).filter(Boolean) : [],
    price_current: price,
    price_was: was !== null && price !== null && was > price ? was : null,
    is_on_special: was !== null && price !== null && was > price,
    per_unit_price_string: text(raw.pricePerUnit),
    per_unit_price_value: null,
    per_unit_price_measure: null,
    is_available: typeof raw.available === 'boolean' ? raw.available : null,
  };
}
