/**
 * Aldi's API on a loopback port: a category tree of the documented shape, and the product search
 * serving the real sample products (and copies of them) 30 at a time by offset, answering HTTP 400
 * past the last page as the real API does; and the store locator (service points near a point).
 */
import { fileURLToPath } from 'node:url';
import { FixtureSite, makeProducts, readListingSample, type FixtureRequest } from '@trolley/scraper-kit/testing';

export const SAMPLE = fileURLToPath(new URL('../../test/fixtures/aldi-listing-sample.txt.gz', import.meta.url));
export const REAL = readListingSample(SAMPLE)[0]!.products;

export interface AldiCategory {
  readonly key: string;
  readonly name: string;
  readonly root: string;
  readonly products: ReadonlyArray<Record<string, unknown>>;
}

/**
 * `sizes[i]` products in leaf category i. The first category starts with the three real products
 * as they are; `shared` products of category 0 are listed again in the last category.
 */
export function aldiCatalogue(sizes: readonly number[], shared = 0): AldiCategory[] {
  const categories = sizes.map((size, ci) => {
    const key = `11111111${String(ci).padStart(2, '0')}`;
    const name = `Aisle ${ci}`;
    const root = ci % 2 === 0 ? 'Pantry' : 'Freezer';
    const products = makeProducts(REAL, size, (p, i) => {
      if (ci === 0 && i < REAL.length) return p;
      const n = ci * 100_000 + i;
      const price = p.price as Record<string, unknown>;
      return {
        ...p,
        sku: String(900_000_000 + n).padStart(18, '0'),
        name: `${String(p.name).replace(/\s+\S+$/, '')} Batch ${n} ${String(p.name).split(' ').pop()}`,
        urlSlugText: `${String(p.urlSlugText)}-${n}`,
        price: { ...price, amount: Number(price.amount) + (n % 97), comparisonDisplay: price.comparisonDisplay },
        categories: [
          { id: '9', name: root, urlSlugText: root.toLowerCase() },
          { id: key, name, urlSlugText: `${root.toLowerCase()}/aisle-${ci}` },
        ],
      };
    });
    return { key, name, root, products };
  });
  if (shared > 0 && categories.length > 1) {
    const last = categories[categories.length - 1]!;
    categories[categories.length - 1] = { ...last, products: [...last.products, ...categories[0]!.products.slice(0, shared)] };
  }
  return categories;
}

export function aldiSite(categories: readonly AldiCategory[]): FixtureSite {
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const roots = [...new Set(categories.map((c) => c.root))];
  const tree = {
    data: roots.map((root) => ({
      key: root.toUpperCase(),
      name: root,
      urlSlugText: root.toLowerCase(),
      children: categories.filter((c) => c.root === root).map((c) => ({ key: c.key, name: c.name, urlSlugText: `${root.toLowerCase()}/${c.key}`, children: [] })),
    })),
  };
  return new FixtureSite((request: FixtureRequest) => {
    if (request.path === '/v2/product-category-tree') return { body: tree };
    if (request.path === '/v2/service-points') {
      // The locator answers the service points within 800 km of the point asked (so grid points overlap).
      const lat = Number(request.query.get('latitude'));
      const lon = Number(request.query.get('longitude'));
      return { body: { data: SERVICE_POINTS.filter((p) => distanceKm(lat, lon, p.address.latitude, p.address.longitude) <= 800) } };
    }
    if (request.path === '/v3/product-search') {
      const category = byKey.get(request.query.get('categoryKey') ?? '');
      if (!category) return { status: 400, body: { message: 'unknown category' } };
      const offset = Number(request.query.get('offset'));
      const limit = Number(request.query.get('limit'));
      // The real API answers 400 for an offset past the last product.
      if (offset >= category.products.length && offset > 0) return { status: 400, body: { message: 'offset out of range' } };
      return { body: { meta: { pagination: { offset, limit, totalCount: category.products.length } }, data: category.products.slice(offset, offset + limit) } };
    }
    return undefined;
  });
}

export function isPage(category: string, offset?: number): (r: FixtureRequest) => boolean {
  return (r) => r.path === '/v3/product-search' && r.query.get('categoryKey') === category && (offset === undefined || Number(r.query.get('offset')) === offset);
}

/** Made-up service points of the documented shape, placed around Australia. */
export const SERVICE_POINTS = [
  { id: 'G147', name: 'Robina', address: { city: 'Robina', regionCode: 'qld', zipCode: '4226', latitude: -28.085472, longitude: 153.409093 } },
  { id: 'G467', name: 'Edgecliff', address: { city: 'Edgecliff', regionCode: 'nsw', zipCode: '2027', latitude: -33.8791, longitude: 151.2367 } },
  { id: 'G501', name: 'Albion Park', address: { city: 'Albion Park', regionCode: 'nsw', zipCode: '2527', latitude: -34.5716, longitude: 150.7781 } },
  { id: 'G439', name: 'Cowra', address: { city: 'Cowra', regionCode: 'nsw', zipCode: '2794', latitude: -33.8347, longitude: 148.6919 } },
  { id: 'G457', name: 'Blair Athol', address: { city: 'Blair Athol', regionCode: 'sa', zipCode: '5084', latitude: -34.8587, longitude: 138.5976 } },
  { id: 'G700', name: 'Townsville', address: { city: 'Townsville', regionCode: 'qld', zipCode: '4810', latitude: -19.3155, longitude: 146.72645 } },
  { id: 'G900', name: 'Perth', address: { city: 'Perth', regionCode: 'wa', zipCode: '6000', latitude: -31.9523, longitude: 115.8613 } },
];

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}
