/**
 * Everything this plugin knows about Coles' product listings, in one place: endpoints, headers,
 * paging and field paths. When the site changes, this is the file to change.
 *
 * Coles sits behind Imperva: the site wants a browser session's cookies (`visid_incap_*`,
 * `incap_ses_*`; pass them with `--cookies FILE`), and the `fulfillmentStoreId` cookie selects the
 * store whose prices are shown. Categories: the GraphQL menu; the top-level departments are
 * listed (promotional groupings, whose products are in the departments too, are left out).
 * Products: the browse page of a department, 48 a page, its data in the `__NEXT_DATA__` script;
 * `noOfResults` says when the last page is reached. Results mix products with ad tiles.
 */
import type { ListedProduct, ListedStore, ListingCategory } from '@trolley/core';
import { arrayAt, AUSTRALIA, grid, isObject, listedStore, MalformedBody, num, parseJson, text, valueAt, type ListingSite, type PageAt, type SessionSite, type StoreSite } from '@trolley/scraper-kit/site';
import { colesStoreId, colesStoreNumber } from './coles-store-id.js';

export const COLES = 'https://www.coles.com.au';
export const COLES_PAGE_SIZE = 48;
export const PROMOTIONAL_GROUPS = ['down-down', 'big-pack-value', 'bonus-entry-products', 'deliver-more-range', 'tobacco'];

/** The menu query the site's own pages send (only the fields read here). */
const MENU_QUERY = `query menuItems($storeId: String!) { menuItems(storeId: $storeId) { items { id level name seoToken productCount childItems { id level name seoToken productCount } } } }`;
const NEXT_DATA = /<script id="__NEXT_DATA__" type="application\/json"[^>]*>([\s\S]*?)<\/script>/;

/**
 * The browser session (`trolley scrape session --company coles`): the home page, where Imperva's
 * script sets `incap_ses_*` (and its `visid_incap_*`) before the page reloads as the site.
 */
export const colesSession: SessionSite = {
  name: 'coles',
  defaultBaseUrl: COLES,
  startUrl: `${COLES}/`,
  sessionCookies: /^incap_ses_/,
};

export const colesProducts: ListingSite = {
  name: 'coles',
  defaultBaseUrl: COLES,
  headers: { Origin: COLES, Referer: `${COLES}/` },
  storeCookies: (store) => `fulfillmentStoreId=${colesStoreNumber(store)}`,
  // A page without its data script is the bot defence's answer, not a listing.
  isBlocked: (response) => (response.request.label === 'page' && response.status === 200 && /html/i.test(response.contentType) && !NEXT_DATA.test(response.text) ? 'a page without __NEXT_DATA__ (a bot check)' : undefined),
  categoriesRequest: (store) => ({
    url: `${COLES}/api/graphql`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    payload: JSON.stringify({ operationName: 'menuItems', variables: { storeId: colesStoreNumber(store) }, query: MENU_QUERY }),
  }),
  readCategories: (body) =>
    arrayAt(parseJson(body), 'data.menuItems.items').flatMap((item): ListingCategory[] => {
      if (!isObject(item)) throw new MalformedBody('a menu item is not an object');
      const token = text(item.seoToken);
      if (!token || PROMOTIONAL_GROUPS.includes(token) || num(item.productCount) === 0) return [];
      return [{ key: token, name: text(item.name) ?? token }];
    }),
  pageRequest: (at: PageAt) => ({ url: `${COLES}/browse/${encodeURIComponent(at.category.key)}?page=${at.page}`, headers: { Accept: 'text/html,application/xhtml+xml' } }),
  readPage: (body, at) => {
    const script = NEXT_DATA.exec(body);
    if (!script) throw new MalformedBody('the page has no __NEXT_DATA__ script');
    const data = parseJson(script[1]!);
    const results = arrayAt(data, 'props.pageProps.searchResults.results');
    const total = num(valueAt(data, 'props.pageProps.searchResults.noOfResults'));
    const pageSize = num(valueAt(data, 'props.pageProps.searchResults.pageSize')) ?? COLES_PAGE_SIZE;
    if (total === null) throw new MalformedBody('the page has no searchResults.noOfResults');
    return { products: results.filter((r) => isObject(r) && r._type === 'PRODUCT').map(colesProduct), last: at.page * pageSize >= total };
  },
};

export function colesProduct(raw: unknown): ListedProduct {
  if (!isObject(raw)) throw new MalformedBody('a product is not an object');
  const id = num(raw.id);
  const name = text(raw.name);
  if (id === null || !name) throw new MalformedBody(`a product has no ${id === null ? 'id' : 'name'}`);
  const pricing = isObject(raw.pricing) ? raw.pricing : {};
  const unit = isObject(pricing.unit) ? pricing.unit : {};
  const now = num(pricing.now);
  const was = num(pricing.was);
  const heir = Array.isArray(raw.onlineHeirs) && isObject(raw.onlineHeirs[0]) ? raw.onlineHeirs[0] : {};
  const brand = text(raw.brand);
  const size = text(raw.size);
  const slug = [brand, name, size].filter(Boolean).join(' ').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const measure = num(unit.ofMeasureQuantity);
  return {
    sku: id,
    name,
    brand,
    barcode: null,
    size,
    url: `${COLES}/product/${slug}-${id}`,
    image_url: Array.isArray(raw.imageUris) && isObject(raw.imageUris[0]) && text(raw.imageUris[0].uri) ? `https://productimages.coles.com.au/productimages${text(raw.imageUris[0].uri)}` : null,
    category_path: [text(heir.subCategory), text(heir.category), text(heir.aisle)].filter((c): c is string => c !== null),
    price_current: now,
    // Coles writes 0 for "no was-price".
    price_was: was !== null && was > 0 && now !== null && was > now ? was : null,
    is_on_special: was !== null && was > 0 && now !== null && was > now,
    per_unit_price_string: text(pricing.comparable),
    per_unit_price_value: num(unit.price),
    per_unit_price_measure: text(unit.ofMeasureUnits) ? `${measure ?? 1}${text(unit.ofMeasureUnits)}` : null,
    is_available: typeof raw.availability === 'boolean' ? raw.availability : null,
  };
}


/**
 * The store locator: the same GraphQL endpoint, asked for the stores near each point of a grid over
 * Australia. The query and the answer's field paths below are CONSTRUCTED, not copied from a real
 * body (none was kept): `data.storeSearch.stores[]` with `id`, `name`, `brandName`,
 * `address.{suburb, state, postcode}`, `position.{latitude, longitude}`. Check them against the
 * site's own request before relying on this; they live here alone. Only Coles supermarkets are
 * kept (the locator also knows Liquorland); ids are written `COL:<number>`, as the national store
 * list and the registry write them.
 */
const STORES_QUERY = `query storeSearch($latitude: Float!, $longitude: Float!, $brandIds: [String!], $numberOfStores: Int) { storeSearch(latitude: $latitude, longitude: $longitude, brandIds: $brandIds, numberOfStores: $numberOfStores) { stores { id name brandName address { suburb state postcode } position { latitude longitude } } } }`;
export const COLES_STORE_GRID_STEP = 1;
export const COLES_STORES_PER_POINT = 50;

export const colesStores: StoreSite = {
  name: 'coles',
  defaultBaseUrl: COLES,
  headers: { Origin: COLES, Referer: `${COLES}/`, 'Content-Type': 'application/json' },
  requests: (step = COLES_STORE_GRID_STEP) =>
    grid(AUSTRALIA, step).map((point) => ({
      url: `${COLES}/api/graphql`,
      method: 'POST' as const,
      uniqueKey: `stores ${point.latitude},${point.longitude}`,
      payload: JSON.stringify({ operationName: 'storeSearch', variables: { ...point, brandIds: ['COL'], numberOfStores: COLES_STORES_PER_POINT }, query: STORES_QUERY }),
    })),
  readStores: (body) => arrayAt(parseJson(body), 'data.storeSearch.stores').flatMap(colesStore),
};

export function colesStore(raw: unknown): ListedStore[] {
  if (!isObject(raw)) throw new MalformedBody('a store is not an object');
  const id = text(raw.id);
  if (!id || !/^\d+$/.test(id)) throw new MalformedBody(`a store has ${id ? `the id ${id}, not a number` : 'no id'}`);
  const brand = text(raw.brandName);
  if (brand !== null && !/^coles/i.test(brand)) return [];
  const address = isObject(raw.address) ? raw.address : {};
  const position = isObject(raw.position) ? raw.position : {};
  return [listedStore(colesStoreId(id)!, { name: raw.name, suburb: address.suburb, state: address.state, postcode: address.postcode, latitude: position.latitude, longitude: position.longitude })];
}
