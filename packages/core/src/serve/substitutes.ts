/** `GET /api/products/{id}/substitutes`: its substitutes that the given stores sell, strongest level first. */
import { substitutesAtStores } from '../reads/substitutions.js';
import { errorSchema, idParams, parseStoreIds, PUBLIC, requireStores, storeIdsParam, type RouteFamily } from './params.js';

export const substituteRoutes: RouteFamily = async (app, { knex, resolver }) => {
  app.get<{ Params: { id: number }; Querystring: { store_ids: string; limit: number } }>(
    '/api/products/:id/substitutes',
    {
      config: PUBLIC,
      schema: {
        summary: 'Substitutes of the product that the given stores sell, with their prices and unit prices there; strongest level (1) first, then score.',
        params: idParams,
        querystring: {
          type: 'object',
          properties: { store_ids: storeIdsParam, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
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
                    product: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, brand: { type: ['string', 'null'] }, sizes: { type: 'array', items: { type: 'string' } } } },
                    level: { type: 'integer', description: '1 same product other size, 2 near-identical name same size, 3 same category, 4 linked categories.' },
                    score: { type: 'number' },
                    prices: {
                      type: 'array',
                      items: { type: 'object', properties: { storeId: { type: 'integer' }, price: { type: 'string' }, unitPrice: { type: ['string', 'null'] }, unit: { type: ['string', 'null'] }, isOnSpecial: { type: 'boolean' } } },
                    },
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
      return { items: await substitutesAtStores(knex, resolver, request.params.id, storeIds, request.query.limit) };
    },
  );
};
