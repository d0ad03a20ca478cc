/** `GET /api/products/{id}/substitutes`: its substitutes that the given stores sell, strongest level first. */
import { substitutesAtStores } from '../reads/substitutions.js';
import { PUBLIC, storesAsked, type RouteFamily } from './params.js';
import { arrayOf, bool, errorSchema, idParams, integer, listOf, nullableText, object, storesQuery, text } from './schemas.js';

const substitute = object({
  product: object({ id: integer, name: text, brand: nullableText, sizes: arrayOf(text) }),
  level: { type: 'integer', description: '1 same product other size, 2 near-identical name same size, 3 same category, 4 linked categories.' },
  score: { type: 'number' },
  prices: arrayOf(object({ storeId: integer, price: text, unitPrice: nullableText, unit: nullableText, isOnSpecial: bool })),
});

export const substituteRoutes: RouteFamily = async (app, { knex, resolver, storeIdsOf }) => {
  app.get<{ Params: { id: number }; Querystring: { store_ids: string; limit: number } }>(
    '/api/products/:id/substitutes',
    {
      config: PUBLIC,
      schema: {
        summary: 'Substitutes of the product that the given stores sell, with their prices and unit prices there; strongest level (1) first, then score.',
        params: idParams,
        querystring: storesQuery({ maximum: 100, default: 20 }),
        response: { 200: listOf(substitute), 400: errorSchema },
      },
    },
    async (request) => ({ items: await substitutesAtStores(knex, resolver, request.params.id, await storesAsked(storeIdsOf, request.query.store_ids), request.query.limit) }),
  );
};
