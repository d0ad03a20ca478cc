/**
 * `GET /api/stores`: stores to pick from, by company and a part of their name, store id, state or
 * postcode. (Stores by distance from a postcode need the store registry's coordinates.)
 */
import { listStores } from '../reads/store-list.js';
import { errorSchema, PUBLIC, type RouteFamily } from './params.js';

export const storeRoutes: RouteFamily = async (app, { knex }) => {
  app.get<{ Querystring: { company?: string; q?: string; limit: number; after?: number } }>(
    '/api/stores',
    {
      config: PUBLIC,
      schema: {
        summary: 'Stores by id, filtered by company and by a part of their name, store id, state or postcode.',
        querystring: {
          type: 'object',
          properties: {
            company: { type: 'string', maxLength: 50 },
            q: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'integer', minimum: 0, description: 'The last store id of the previous page (its `next`).' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'integer' }, company: { type: 'string' }, storeId: { type: 'string' }, name: { type: ['string', 'null'] }, state: { type: ['string', 'null'] }, postcode: { type: ['string', 'null'] } } },
              },
              next: { type: ['integer', 'null'] },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { company, q, limit, after } = request.query;
      const page = await listStores(knex, { company, q, limit, afterId: after });
      return { items: page.items, next: page.last ?? null };
    },
  );
};
