/**
 * Aldi's API on a loopback port: a category tree of the documented shape, and the product search
 * serving the real sample products (and copies of them) 30 at a time by offset, answering HTTP 400
 * past the last page as the real API does.
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
