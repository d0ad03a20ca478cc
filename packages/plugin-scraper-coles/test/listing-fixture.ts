/**
 * Coles' listings on a loopback port, behind a stand-in of its bot defence: without the session
 * cookie a browser would have, every request gets the Imperva challenge (403). The real category
 * menu answers the GraphQL request; browse pages carry the real sample results (and copies of the
 * products) in `__NEXT_DATA__`, 48 a page, with `noOfResults`; the home page, and product pages
 * whose barcode derives from the SKU.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gtinFor } from './fixture-server.js';
import { FixtureSite, makeProducts, readJsonFile, readListingSample, type FixtureRequest } from '@trolley/scraper-kit/testing';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
export const MENU = readJsonFile(fixture('coles-graphql-category-menu.json.gz')) as { data: { menuItems: { items: Array<{ seoToken: string }> } } };
export const SAMPLE = readListingSample(fixture('coles-listing-sample.txt.gz'))[0]!.products;
export const REAL_PRODUCTS = SAMPLE.filter((r) => r._type === 'PRODUCT');
/** The constructed store-locator body (see fixtures/README.md: not a real body). */
export const STORE_SEARCH = (JSON.parse(fs.readFileSync(fixture('coles-graphql-stores-constructed.json'), 'utf8')) as { data: { storeSearch: { stores: Array<{ id: string; brandName: string; position: { latitude: number; longitude: number } }> } } }).data.storeSearch.stores;
export const SESSION_COOKIE = { name: 'incap_ses_1184_2800112', value: 'granted' };

/** Results per department: the first is the real sample (ad tile included) followed by copies. */
export function colesDepartments(sizes: Readonly<Record<string, number>>): Map<string, Array<Record<string, unknown>>> {
  return new Map(
    Object.entries(sizes).map(([token, size], di) => [
      token,
      [
        ...(di === 0 ? SAMPLE : []),
        ...makeProducts(REAL_PRODUCTS, Math.max(0, size - (di === 0 ? REAL_PRODUCTS.length : 0)), (p, i) => ({ ...p, id: 7_000_000 + di * 100_000 + i, name: `${String(p.name)} ${di}-${i}`, pricing: { ...(p.pricing as object), now: 2 + (i % 30) } })),
      ],
    ]),
  );
}

export function colesSite(departments: ReadonlyMap<string, ReadonlyArray<Record<string, unknown>>>): FixtureSite {
  const site = new FixtureSite((request: FixtureRequest) => {
    if (request.path === '/api/graphql' && request.method === 'POST') {
      const asked = JSON.parse(request.body) as { operationName?: string; variables?: { latitude?: number; longitude?: number } };
      if (asked.operationName !== 'storeSearch') return { body: MENU };
      // The stores within 800 km of the point asked (grid points overlap, as a real locator's answers do).
      const { latitude = NaN, longitude = NaN } = asked.variables ?? {};
      return { body: { data: { storeSearch: { stores: STORE_SEARCH.filter((st) => distanceKm(latitude, longitude, st.position.latitude, st.position.longitude) <= 800) } } } };
    }
    if (request.path === '/') return { body: '<!DOCTYPE html><html><head><title>Coles Supermarkets</title></head><body><main>Shop online</main></body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } };
    // A product page (for scrape barcodes): its barcode in __NEXT_DATA__, derived from the SKU.
    const product = /^\/product\/[\w-]*?(\d+)$/.exec(request.path);
    if (product) {
      const data = { props: { pageProps: { product: { id: Number(product[1]), gtin: gtinFor(product[1]!) } } } };
      return { body: `<!DOCTYPE html><html><body><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script></body></html>`, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }
    const match = /^\/browse\/([\w-]+)$/.exec(request.path);
    if (!match) return undefined;
    const results = departments.get(match[1]!) ?? [];
    const page = Number(request.query.get('page') ?? 1);
    const data = { props: { pageProps: { initStoreId: request.cookies.fulfillmentStoreId, searchResults: { noOfResults: results.filter((r) => r._type === 'PRODUCT').length, pageSize: 48, results: results.slice((page - 1) * 48, page * 48) } } } };
    return { body: `<!DOCTYPE html><html><head><title>Coles</title></head><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data)}</script></body></html>`, headers: { 'content-type': 'text/html; charset=utf-8' } };
  });
  site.requireCookie = SESSION_COOKIE;
  return site;
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}
