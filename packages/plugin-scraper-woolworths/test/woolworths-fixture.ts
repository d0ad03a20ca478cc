/**
 * Woolworths on a loopback port: the home page (sets a session cookie), the department list, and
 * the browse API (JSON POST) serving the real sample product and copies of it, 36 a page; past the
 * last page it answers an empty page, as the real API does.
 */
import { fileURLToPath } from 'node:url';
import { FixtureSite, makeProducts, readListingSample, type FixtureRequest } from '@trolley/scraper-kit/testing';

export const SAMPLE = fileURLToPath(new URL('../../test/fixtures/woolworths-listing-sample.txt.gz', import.meta.url));
export const REAL = readListingSample(SAMPLE)[0]!.products;

export interface Department {
  readonly id: string;
  readonly slug: string;
  readonly products: ReadonlyArray<Record<string, unknown>>;
}

export function departments(sizes: readonly number[]): Department[] {
  return sizes.map((size, di) => ({
    id: `1-${(0xe5bec + di).toString(16).toUpperCase()}`,
    slug: di === 0 ? 'fruit-veg' : `department-${di}`,
    products: makeProducts(REAL, size, (p, i) => {
      if (di === 0 && i === 0) return p;
      const n = di * 100_000 + i;
      return { ...p, Stockcode: 500_000 + n, Name: `${String(p.Name)} ${n}`, UrlFriendlyName: `${String(p.UrlFriendlyName)}-${n}`, Price: 1 + (n % 50) / 10, WasPrice: 1 + (n % 50) / 10, Barcode: null };
    }),
  }));
}

export function woolworthsSite(list: readonly Department[]): FixtureSite {
  const byId = new Map(list.map((d) => [d.id, d]));
  const categories = {
    Categories: [
      { NodeId: 'specialsgroup', UrlFriendlyName: 'specials', Description: 'Specials' },
      ...list.map((d) => ({ NodeId: d.id, UrlFriendlyName: d.slug, Description: d.slug, Children: [] })),
      { NodeId: '1_DEB537E', UrlFriendlyName: 'everyday-market', Description: 'Everyday Market', Children: [] },
    ],
  };
  return new FixtureSite((request: FixtureRequest) => {
    if (request.path === '/') return { headers: { 'set-cookie': 'w-session=abc123; Path=/' }, body: '<html><body>Woolworths</body></html>' };
    if (request.path === '/apis/ui/PiesCategoriesWithSpecials') return { body: categories };
    if (request.path === '/apis/ui/StoreLocator/Stores') {
      // Every point of the grid north of -30° answers the same two stores; the rest none.
      const north = Number(request.query.get('latitude')) > -30;
      return { body: { Stores: north ? STORES : [], Delivery: null } };
    }
    if (request.path === '/apis/ui/browse/category' && request.method === 'POST') {
      const body = JSON.parse(request.body) as { categoryId: string; pageNumber: number; pageSize: number };
      const department = byId.get(body.categoryId);
      if (!department) return { status: 400, body: { message: 'unknown category' } };
      const from = (body.pageNumber - 1) * body.pageSize;
      const products = department.products.slice(from, from + body.pageSize);
      return { body: { Bundles: products.map((p) => ({ Products: [p], Name: p.Name })), TotalRecordCount: department.products.length } };
    }
    return undefined;
  });
}

export function isPage(department: string, page?: number): (r: FixtureRequest) => boolean {
  return (r) => {
    if (r.path !== '/apis/ui/browse/category') return false;
    const body = JSON.parse(r.body) as { categoryId: string; pageNumber: number };
    return body.categoryId === department && (page === undefined || body.pageNumber === page);
  };
}

/** Store locator answers of the documented shape. */
export const STORES = [
  { StoreNo: '1044', Name: 'Woolworths Town Hall', Suburb: 'Sydney', State: 'NSW', Postcode: '2000', Latitude: -33.8731, Longitude: 151.2065, Division: 'SUPERMARKETS' },
  { StoreNo: '3210', Name: 'Woolworths Cairns Central', Suburb: 'Cairns', State: 'QLD', Postcode: '4870', Latitude: -16.9326, Longitude: 145.7506, Division: 'SUPERMARKETS' },
];
