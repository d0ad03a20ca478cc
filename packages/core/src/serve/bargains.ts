/** `GET /api/bargains`: the bargains a shopper can have at their stores, deepest discount first. */
import { bargainsAtStores } from '../reads/bargains-at-stores.js';
import { PUBLIC, storesAsked, type RouteFamily } from './params.js';
import { errorSchema, integer, listOf, nullableText, object, storesQuery, text } from './schemas.js';

const bargain = object({ productId: integer, name: text, brand: nullableText, storeId: integer, price: text, maxPrice: text, discountPercent: { type: 'number' } });

export const bargainRoutes: RouteFamily = async (app, { knex, resolver, storeIdsOf }) => {
  app.get<{ Querystring: { store_ids: string; limit: number } }>(
    '/api/bargains',
    {
      config: PUBLIC,
      schema: {
        summary: "Bargains (the cheapest price of a product well below its dearest) credited to the given stores' pricing stores, deepest discount first.",
        querystring: storesQuery({ maximum: 500, default: 50 }),
        response: { 200: listOf(bargain), 400: errorSchema },
      },
    },
    async (request) => ({ items: await bargainsAtStores(knex, resolver, await storesAsked(storeIdsOf, request.query.store_ids), request.query.limit) }),
  );
};
