/**
 * IGA's online shop on a loopback port: the home page, the real category hierarchy of store 32600,
 * and the search API serving the real sample products (and copies of them) in a few leaf
 * categories by skip/take. Past the last page it repeats the last page, as the real API does.
 */
import { fileURLToPath } from 'node:url';
import { FixtureSite, makeProducts, readJsonFile, readListingSample, type FixtureRequest } from '@trolley/scraper-kit/testing';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
export const REAL = readListingSample(fixture('iga-listing-sample.txt.gz'))[0]!.products;
export const HIERARCHY = readJsonFile(fixture('iga-category-hierarchy-store-32600.json.gz')) as { children: unknown[] };

/** Products of the leaf categories that have any (every other leaf answers an empty page). */
export function igaCatalogue(sizes: Readonly<Record<string, number>>): Map<string, Array<Record<string, unknown>>> {
  return new Map(
    Object.entries(sizes).map(([leaf, size], li) => [
      leaf,
      makeProducts(REAL, size, (p, i) => {
        if (li === 0 && i < REAL.length) return p;
        const n = (li + 1) * 100_000 + i;
        return { ...p, productId: String(n), sku: String(n), name: `${String(p.name)} ${n}`, barcode: null, priceNumeric: 1 + (n % 40) / 4 };
      }),
    ]),
  );
}

export function igaSite(catalogue: ReadonlyMap<string, ReadonlyArray<Record<string, unknown>>>, store = '32600'): FixtureSite {
  return new FixtureSite((request: FixtureRequest) => {
    if (request.path === '/') return { body: '<html>IGA Shop</html>' };
    if (request.path === `/api/storefront/stores/${store}/categoryHierarchy`) return { body: HIERARCHY };
    const match = new RegExp(`^/api/storefront/stores/${store}/categories/([^/]+)/search$`).exec(request.path);
    if (match) {
      const products = catalogue.get(decodeURIComponent(match[1]!)) ?? [];
      const take = Number(request.query.get('take'));
      const skip = Number(request.query.get('skip'));
      const lastStart = products.length === 0 ? 0 : Math.floor((products.length - 1) / take) * take;
      // Past the end the API repeats its last page.
      const from = Math.min(skip, lastStart);
      return { body: { items: products.slice(from, from + take), total: products.length } };
    }
    return undefined;
  });
}

export function isPage(leaf: string, skip?: number): (r: FixtureRequest) => boolean {
  return (r) => r.path.endsWith(`/categories/${leaf}/search`) && (skip === undefined || Number(r.query.get('skip')) === skip);
}
