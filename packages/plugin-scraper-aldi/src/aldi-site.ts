/**
 * Everything this plugin knows about Aldi's site, in one place: endpoints, headers, paging and the
 * field paths of its JSON. When the site changes, this is the file to change.
 *
 * Products: the category tree of a store ("service point", `G147`), then each leaf category
 * through the product search, 30 at a time by offset; an empty page, or HTTP 400 past the end,
 * ends a category. Prices are in cents. Stores: the service-point locator, asked over a grid.
 */
import type { ListedProduct, ListedStore, ListingCategory } from '@trolley/core';
import { arrayAt, dollarsOf, grid, AUSTRALIA, isObject, listedStore, MalformedBody, num, parseJson, text, type ListingSite, type PageAt, type StoreSite } from '@trolley/scraper-kit/site';

export const ALDI_API = 'https://api.aldi.com.au';
export const ALDI_WEB = 'https://www.aldi.com.au';
export const PAGE_SIZE = 30;

const HEADERS = { Origin: ALDI_WEB, Referer: `${ALDI_WEB}/` };

export const aldiProducts: ListingSite = {
  name: 'aldi',
  defaultBaseUrl: ALDI_API,
  headers: HEADERS,
  endStatuses: [400],
  categoriesRequest: (store) => ({ url: `${ALDI_API}/v2/product-category-tree?${new URLSearchParams({ serviceType: 'walk-in', servicePoint: store })}` }),
  readCategories: (body) => leaves(arrayAt(parseJson(body), 'data')),
  pageRequest: (at: PageAt) => ({
    url: `${ALDI_API}/v3/product-search?${new URLSearchParams({
      currency: 'AUD',
      serviceType: 'walk-in',
      categoryKey: at.category.key,
      limit: String(PAGE_SIZE),
      offset: String((at.page - 1) * PAGE_SIZE),
      sort: 'relevance',
      servicePoint: at.storeId,
    })}`,
  }),
  readPage: (body) => ({ products: arrayAt(parseJson(body), 'data').map(aldiProduct) }),
};

/** The leaves of the category tree (`key`, `name`, `children`), depth first. */
function leaves(nodes: unknown[]): ListingCategory[] {
  const found: ListingCategory[] = [];
  const walk = (node: unknown) => {
    if (!isObject(node)) throw new MalformedBody('a category node is not an object');
    const children = Array.isArray(node.children) ? node.children : [];
    if (children.length > 0) children.forEach(walk);
    else {
      const key = text(node.key);
      if (!key) throw new MalformedBody('a category has no key');
      found.push({ key, name: text(node.name) ?? text(node.urlSlugText) ?? key });
    }
  };
  nodes.forEach(walk);
  return found;
}

/** One raw product of the product search → a listed product (cents → dollars). */
export function aldiProduct(raw: unknown): ListedProduct {
  if (!isObject(raw)) throw new MalformedBody('a product is not an object');
  const sku = text(raw.sku);
  const name = text(raw.name);
  if (!sku || !name) throw new MalformedBody(`a product has no ${sku ? 'name' : 'sku'}`);
  const price = isObject(raw.price) ? raw.price : {};
  const cents = num(price.amount);
  const current = cents === null ? null : cents / 100;
  const was = dollarsOf(price.wasPriceDisplay);
  const slug = text(raw.urlSlugText);
  const comparison = num(price.comparison);
  const assets = Array.isArray(raw.assets) ? raw.assets : [];
  return {
    sku,
    name,
    brand: text(raw.brandName),
    barcode: null,
    size: text(raw.sellingSize),
    url: slug ? `${ALDI_WEB}/product/${slug}-${sku}` : null,
    image_url: isObject(assets[0]) ? text(assets[0].url) : null,
    category_path: (Array.isArray(raw.categories) ? raw.categories : []).map((c) => (isObject(c) ? text(c.name) : null)).filter((c): c is string => c !== null),
    price_current: current,
    price_was: was !== null && current !== null && was > current ? was : null,
    is_on_special: was !== null && current !== null && was > current,
    per_unit_price_string: text(price.comparisonDisplay),
    per_unit_price_value: comparison === null ? null : comparison / 100,
    per_unit_price_measure: null,
    is_available: raw.notForSale === true ? false : true,
  };
}

/** Grid step (degrees) of the store locator. */
export const STORE_GRID_STEP = 1;

export const aldiStores: StoreSite = {
  name: 'aldi',
  defaultBaseUrl: ALDI_API,
  headers: HEADERS,
  requests: (step = STORE_GRID_STEP) => grid(AUSTRALIA, step).map((p) => ({ url: `${ALDI_API}/v2/service-points?${new URLSearchParams({ latitude: String(p.latitude), longitude: String(p.longitude) })}` })),
  readStores: (body) => arrayAt(parseJson(body), 'data').map(aldiStore),
};

/** One service point: `id`, `name`, `address.{city, regionCode, zipCode, latitude, longitude}`. */
export function aldiStore(raw: unknown): ListedStore {
  if (!isObject(raw)) throw new MalformedBody('a store is not an object');
  const id = text(raw.id);
  if (!id) throw new MalformedBody('a store has no id');
  const address = isObject(raw.address) ? raw.address : {};
  return listedStore(id, { name: raw.name, suburb: address.city, state: address.regionCode, postcode: address.zipCode, latitude: address.latitude, longitude: address.longitude });
}
