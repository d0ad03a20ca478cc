/** A product's prices at stores and its price history: `GET /api/products/{id}/prices`, `…/history`. */
import { priceHistory } from '../reads/price-history.js';
import { productPrices } from '../prices/product-prices.js';
import { errorSchema, storeSummarySchema, idParams, parseStoreIds, PUBLIC, requireStores, storeIdParam, storeIdsParam, type RouteFamily } from './params.js';

const money = { type: 'string', description: 'Dollars with 2 decimals.' } as const;
const nullableMoney = { type: ['string', 'null'] } as const;


export const priceRoutes: RouteFamily = async (app, { knex, resolver }) => {
  app.get<{ Params: { id: number }; Querystring: { store_ids: string } }>(
    '/api/products/:id/prices',
    {
      config: PUBLIC,
      schema: {
        summary: "The product's prices at the given stores, cheapest first (a store without its own row reads its pricing store's).",
        params: idParams,
        querystring: { type: 'object', properties: { store_ids: storeIdsParam }, required: ['store_ids'], additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              productId: { type: 'integer' },
              prices: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    storeId: { type: 'integer' },
                    store: storeSummarySchema,
                    price: money,
                    wasPrice: nullableMoney,
                    isOnSpecial: { type: 'boolean' },
                    unitPrice: nullableMoney,
                    unit: { type: ['string', 'null'] },
                    isAvailable: { type: ['boolean', 'null'] },
                    scrapedDate: { type: 'string', format: 'date' },
                    sourceStoreId: { type: 'integer' },
                  },
                },
              },
              missing: { type: 'array', items: { type: 'integer' }, description: 'Stores asked about with no price for it.' },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const storeIds = parseStoreIds(request.query.store_ids);
      await requireStores(knex, storeIds);
      const prices = await productPrices(knex, resolver, request.params.id, { storeIds });
      const priced = new Set(prices.map((p) => p.storeId));
      return { productId: request.params.id, prices, missing: storeIds.filter((id) => !priced.has(id)) };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { store_id: number } }>(
    '/api/products/:id/history',
    {
      config: PUBLIC,
      schema: {
        summary: "The product's price history at a store, oldest first: the first price seen, every change, and the current price.",
        params: idParams,
        querystring: { type: 'object', properties: { store_id: storeIdParam }, required: ['store_id'], additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              productId: { type: 'integer' },
              storeId: { type: 'integer' },
              sourceStoreId: { type: 'integer' },
              points: { type: 'array', items: { type: 'object', properties: { date: { type: 'string', format: 'date' }, price: money, wasPrice: nullableMoney, isOnSpecial: { type: 'boolean' } } } },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request) => {
      await requireStores(knex, [request.query.store_id], 'store_id');
      return priceHistory(knex, resolver, request.params.id, request.query.store_id);
    },
  );
};
