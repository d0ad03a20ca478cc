/** `GET /api/bargains`: the bargains a shopper can have at their stores, deepest discount first. */
import { bargainsAtStores } from '../reads/bargains-at-stores.js';
import { errorSchema, parseStoreIds, PUBLIC, requireStores, storeIdsParam, type RouteFamily } from './params.js';

export const bargainRoutes: RouteFamily = async (app, { knex, resolver }) => {
  app.get<{ Querystring: { store_ids: string; limit: number } }>(
    '/api/bargains',
    {
      config: PUBLIC,
      schema: {
        summary: "Bargains (the cheapest price of a product well below its dearest) credited to the given stores' pricing stores, deepest discount first.",
        querystring: {
          type: 'object',
          properties: { store_ids: storeIdsParam, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          required: ['store_ids'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    productId: { type: 'integer' },
                    name: { type: 'string' },
                    brand: { type: ['string', 'null'] },
                    storeId: { type: 'integer' },
                    price: { type: 'string' },
                    maxPrice: { type: 'string' },
                    discountPercent: { type: 'number' },
                  },
                },
              },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const storeIds = parseStoreIds(request.query.store_ids);
      await requireStores(knex, storeIds);
      return { items: await bargainsAtStores(knex, resolver, storeIds, request.query.limit) };
    },
  );
};
