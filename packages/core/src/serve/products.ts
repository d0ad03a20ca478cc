/** Product search and one product: `GET /api/products`, `GET /api/products/{id}`. */
import { BadRequest, decodeCursor, encodeCursor } from '../export/pagination.js';
import { productDetail } from '../reads/product-detail.js';
import { LiveProductSearch } from '../search/search-index.js';
import { DEFAULT_SEARCH_PAGE, MAX_QUERY_LENGTH, MAX_SEARCH_PAGE } from './limits.js';
import { notFound, PUBLIC, type RouteFamily } from './params.js';
import { arrayOf, errorSchema, idParams, integer, listOf, nullableText, object, text } from './schemas.js';

const product = { id: integer, name: text, brand: nullableText, barcode: nullableText, sizes: arrayOf(text) };

const hit = object({ ...product, score: { type: 'integer', description: '2,000,000 for a barcode or SKU match, else 1,000 × word similarity + similarity (both 0–1, ×1,000).' } });

const detail = object({
  ...product,
  unit: nullableText,
  skus: arrayOf(object({ company: text, sku: text })),
  categories: arrayOf(object({ company: text, path: text })),
});

export const productRoutes: RouteFamily = async (app, { knex, logger, searchThreads }) => {
  // Search answers from the catalogue held in memory, read before the server listens and again
  // whenever it changes (docs/serve.md, Search).
  const search = new LiveProductSearch(knex, { logger, threads: searchThreads });
  await search.ready();
  app.addHook('onClose', () => search.close());

  app.get<{ Querystring: { q?: string; company?: string; category?: string; limit: number; cursor?: string } }>(
    '/api/products',
    {
      config: PUBLIC,
      schema: {
        summary: 'Search products by name, brand, barcode or SKU (typo-tolerant), best match first.',
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: MAX_QUERY_LENGTH, description: 'Words, a barcode or a SKU; empty lists every product by id.' },
            company: { type: 'string', maxLength: 50, description: 'Only products this company sells (coles, woolworths, aldi, iga).' },
            category: { type: 'string', maxLength: 200, description: 'Only products in a category whose path contains this.' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_PAGE, default: DEFAULT_SEARCH_PAGE },
            cursor: { type: 'string', maxLength: 200, description: 'The `next` cursor of the previous page.' },
          },
          additionalProperties: false,
        },
        response: { 200: listOf(hit, { next: { type: ['string', 'null'], description: 'Cursor of the next page; null at the end.' } }), 400: errorSchema },
      },
    },
    async (request) => {
      const { q, company, category, limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : (decodeCursor(cursor, 2) as [number, number]);
      if (after && (after[0] > 2_000_000 || after[1] < 1)) throw new BadRequest('cursor is not a cursor this API gave out; start again without it.', 'bad-cursor');
      const page = await search.search({ q, company, category, limit, after });
      return { items: page.items, next: page.last ? encodeCursor(page.last) : null };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/products/:id',
    {
      config: PUBLIC,
      schema: {
        summary: 'One product: names, brand, barcode, sizes, unit, its SKUs and categories per company.',
        params: idParams,
        response: {
          200: detail,
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const product = await productDetail(knex, request.params.id);
      if (!product) throw notFound(`No product has id ${request.params.id}; search with GET /api/products?q=.`);
      return product;
    },
  );
};
