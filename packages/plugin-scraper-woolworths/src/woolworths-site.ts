/**
 * Everything this plugin knows about Woolworths' site, in one place: endpoints, headers, paging and
 * the field paths of its JSON. When the site changes, this is the file to change.
 *
 * Products: a visit to the home page first (the site's cookies), then the department list, then
 * each department through the browse API (a JSON POST), 36 products a page from page 1; an empty
 * page ends a department. Third-party sellers' `everyday-market` and `cigarettes-tobacco` are left
 * out. Stores: the store locator, asked over a grid of points.
 */
import type { ListedProduct, ListedStore, ListingCategory } from '@trolley/core';
import { arrayAt, AUSTRALIA, grid, isObject, listedStore, MalformedBody, num, parseJson, text, type ListingSite, type PageAt, type StoreSite } from '@trolley/scraper-kit/site';

export const WOOLWORTHS = 'https://www.woolworths.com.au';
export const PAGE_SIZE = 36;
export const SKIPPED_DEPARTMENTS = ['everyday-market', 'cigarettes-tobacco'];

const HEADERS = { Origin: WOOLWORTHS, Referer: `${WOOLWORTHS}/` };
const home = () => [{ url: `${WOOLWORTHS}/`, headers: { Accept: 'text/html,application/xhtml+xml' } }];

export const woolworthsProducts: ListingSite = {
  name: 'woolworths',
  defaultBaseUrl: WOOLWORTHS,
  headers: HEADERS,
  session: home,
  categoriesRequest: () => ({ url: `${WOOLWORTHS}/apis/ui/PiesCategoriesWithSpecials` }),
  readCategories: (body) => departments(arrayAt(parseJson(body), 'Categories')),
  pageRequest: (at: PageAt) => {
    const slug = at.category.name;
    return {
      url: `${WOOLWORTHS}/apis/ui/browse/category`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      uniqueKey: `${at.storeId}/${at.category.key}/${at.page}`,
      payload: JSON.stringify({
        categoryId: at.category.key,
        pageNumber: at.page,
        pageSize: PAGE_SIZE,
        sortType: 'PriceAsc',
        url: `/shop/browse/${slug}`,
        location: `/shop/browse/${slug}?pageNumber=${at.page}&sortBy=PriceAsc`,
        formatObject: JSON.stringify({ name: slug }),
        isSpecial: false,
        isBundle: false,
        isMobile: false,
        filters: [{ Key: 'SoldBy', Items: [{ Term: 'Woolworths' }] }],
        token: '',
        gpBoost: 0,
        isHideUnavailableProducts: true,
        isRegisteredRewardCardPromotion: null,
        enableAdReRanking: false,
        groupEdmVariants: true,
        categoryVersion: 'v2',
        storeId: at.storeId,
      }),
    };
  },
  readPage: (body) => ({
    products: arrayAt(parseJson(body), 'Bundles').flatMap((bundle) => (isObject(bundle) && Array.isArray(bundle.Products) ? bundle.Products : [])).map(woolworthsProduct),
  }),
};

/** `Categories[1:]` (the first is Specials): key `NodeId`, name `UrlFriendlyName` (the browse slug). */
function departments(categories: unknown[]): ListingCategory[] {
  return categories.slice(1).flatMap((node) => {
    if (!isObject(node)) throw new MalformedBody('a department is not an object');
    const key = text(node.NodeId);
    const slug = text(node.UrlFriendlyName);
    if (!key || !slug) throw new MalformedBody('a department has no NodeId or UrlFriendlyName');
    return SKIPPED_DEPARTMENTS.includes(slug) ? [] : [{ key, name: slug }];
  });
}

export function woolworthsProduct(raw: unknown): ListedProduct {
  if (!isObject(raw)) throw new MalformedBody('a product is not an object');
  const sku = num(raw.Stockcode);
  const name = text(raw.Name);
  if (sku === null || !name) throw new MalformedBody(`a product has no ${sku === null ? 'Stockcode' : 'Name'}`);
  const price = num(raw.Price) ?? num(raw.InstorePrice);
  const was = num(raw.WasPrice);
  const attributes = isObject(raw.AdditionalAttributes) ? raw.AdditionalAttributes : {};
  const slug = text(raw.UrlFriendlyName);
  return {
    sku,
    name,
    brand: text(raw.Brand),
    barcode: text(raw.Barcode),
    size: text(raw.PackageSize),
    url: slug ? `${WOOLWORTHS}/shop/productdetails/${sku}/${slug}` : null,
    image_url: text(raw.MediumImageFile),
    category_path: [...jsonList(attributes.piesdepartmentnamesjson).slice(0, 1), ...jsonList(attributes.piescategorynamesjson).slice(0, 1), ...jsonList(attributes.piessubcategorynamesjson).slice(0, 1)],
    price_current: price,
    price_was: was !== null && price !== null && was > price ? was : null,
    is_on_special: raw.IsOnSpecial === true,
    per_unit_price_string: text(raw.CupString) ?? text(raw.InstoreCupString),
    per_unit_price_value: num(raw.CupPrice) ?? num(raw.InstoreCupPrice),
    per_unit_price_measure: text(raw.CupMeasure),
    is_available: typeof raw.IsAvailable === 'boolean' ? raw.IsAvailable : typeof raw.IsInStock === 'boolean' ? raw.IsInStock : null,
  };
}

/** A list the site sends as JSON text (`"[\"Fruit & Veg\"]"`). */
function jsonList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.map(text).filter((v): v is string => v !== null) : [];
  } catch {
    return [];
  }
}

export const STORE_GRID_STEP = 1;

export const woolworthsStores: StoreSite = {
  name: 'woolworths',
  defaultBaseUrl: WOOLWORTHS,
  headers: HEADERS,
  session: home,
  requests: (step = STORE_GRID_STEP) =>
    grid(AUSTRALIA, step).map((p) => ({ url: `${WOOLWORTHS}/apis/ui/StoreLocator/Stores?${new URLSearchParams({ latitude: String(p.latitude), longitude: String(p.longitude), Max: '100', Division: 'SUPERMARKETS', Facility: '' })}` })),
  readStores: (body) => arrayAt(parseJson(body), 'Stores').map(woolworthsStore),
};

/** `StoreNo`, `Name`, `Suburb`, `State`, `Postcode`, `Latitude`, `Longitude`. */
export function woolworthsStore(raw: unknown): ListedStore {
  if (!isObject(raw)) throw new MalformedBody('a store is not an object');
  const id = text(raw.StoreNo);
  if (!id) throw new MalformedBody('a store has no StoreNo');
  return listedStore(id, { name: raw.Name, suburb: raw.Suburb, state: raw.State, postcode: raw.Postcode, latitude: raw.Latitude, longitude: raw.Longitude });
}
