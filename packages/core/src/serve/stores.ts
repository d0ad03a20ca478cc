/**
 * `GET /api/stores`: stores to pick from, by company and a part of their name, store id, state or
 * postcode; or, with `near`, the stores of the registry within `radius_km` of a postcode, nearest
 * first (the registry's coordinates and postcodes: `trolley stores import`, `trolley postcodes import`).
 */
import { listStores, storesNear, type RegistryStore } from '../stores/stores-near.js';
import { PUBLIC, type RouteFamily } from './params.js';
import { errorSchema, listOf, storeSummarySchema } from './schemas.js';

const item = ({ id, company, code, name, state, postcode, distanceKm }: RegistryStore) => ({ id, company, code, name, state, postcode, ...(distanceKm === undefined ? {} : { distanceKm }) });

export const storeRoutes: RouteFamily = async (app, { knex }) => {
  app.get<{ Querystring: { company?: string; q?: string; near?: string; radius_km: number; limit: number; after?: number } }>(
    '/api/stores',
    {
      config: PUBLIC,
      schema: {
        summary: 'Stores by id, filtered by company and by a part of their name, store id, state or postcode; with near, the stores within radius_km of a postcode, nearest first.',
        querystring: {
          type: 'object',
          properties: {
            company: { type: 'string', maxLength: 50 },
            q: { type: 'string', maxLength: 100 },
            near: { type: 'string', pattern: '^[0-9]{4}$', description: 'An Australian postcode: stores within radius_km of its centre, nearest first (q and after do not apply).' },
            radius_km: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 10 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { type: 'integer', minimum: 0, description: 'The last store id of the previous page (its `next`).' },
          },
          additionalProperties: false,
        },
        response: {
          200: listOf(
            { ...storeSummarySchema, properties: { ...storeSummarySchema.properties, distanceKm: { type: 'number', description: 'Kilometres from the postcode (only with near).' } } },
            { next: { type: ['integer', 'null'], description: 'The last store id of this page when there are more (pass it as after); else null.' } },
          ),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { company, q, near, radius_km: radiusKm, limit, after } = request.query;
      if (near !== undefined) {
        const found = await storesNear(knex, { postcode: near, radiusKm, company, limit });
        return { items: found.stores.map(item), next: null };
      }
      const page = await listStores(knex, { company, q, limit: limit + 1, afterId: after });
      const items = page.slice(0, limit).map(item);
      return { items, next: page.length > limit ? items[items.length - 1]!.id : null };
    },
  );
};
