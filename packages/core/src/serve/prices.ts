/** A product's prices at stores and its price history: `GET /api/products/{id}/prices`, `…/history`. */
import { chartHistory } from '../prices/price-history.js';
import { BatchedPrices } from './batched-prices.js';
import { PUBLIC, storesAsked, type RouteFamily } from './params.js';
import { arrayOf, bool, date, errorSchema, idParams, integer, money, nullableMoney, nullableText, object, storeIdParam, storeIdsParam, storeSummarySchema } from './schemas.js';

const storePrice = object({
  storeId: integer,
  store: storeSummarySchema,
  price: money,
  wasPrice: nullableMoney,
  isOnSpecial: bool,
  unitPrice: nullableMoney,
  unit: nullableText,
  isAvailable: { type: ['boolean', 'null'] },
  scrapedDate: date,
  sourceStoreId: integer,
});

const pricesAnswer = object({
  productId: integer,
  prices: arrayOf(storePrice),
  missing: { type: 'array', items: integer, description: 'Stores asked about with no price for it.' },
});

const historyAnswer = object({
  productId: integer,
  storeId: integer,
  sourceStoreId: integer,
  points: arrayOf(object({ date, price: money, wasPrice: nullableMoney, isOnSpecial: bool })),
});


export const priceRoutes: RouteFamily = async (app, { knex, resolver, storeIdsOf }) => {
  // Concurrent requests at the same stores share one statement (batched-prices.ts).
  const batched = new BatchedPrices(knex, resolver);
  app.get<{ Params: { id: number }; Querystring: { store_ids: string } }>(
    '/api/products/:id/prices',
    {
      config: PUBLIC,
      schema: {
        summary: "The product's prices at the given stores, cheapest first (a store without its own row reads its pricing store's).",
        params: idParams,
        querystring: { type: 'object', properties: { store_ids: storeIdsParam }, required: ['store_ids'], additionalProperties: false },
        response: {
          200: pricesAnswer,
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const storeIds = await storesAsked(storeIdsOf, request.query.store_ids);
      const prices = await batched.pricesOf(request.params.id, storeIds);
      const priced = new Set(prices.map((p) => p.storeId));
      return { productId: request.params.id, prices, missing: storeIds.filter((id) => !priced.has(id)) };
    },
  );

  app.get<{ Params: { id: number }; Querystring: { store_id: string } }>(
    '/api/products/:id/history',
    {
      config: PUBLIC,
      schema: {
        summary: "The product's price history at a store, oldest first: the first price seen, every change, and the current price.",
        params: idParams,
        querystring: { type: 'object', properties: { store_id: storeIdParam }, required: ['store_id'], additionalProperties: false },
        response: {
          200: historyAnswer,
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const [storeId] = await storesAsked(storeIdsOf, request.query.store_id, 'store_id');
      return chartHistory(knex, resolver, request.params.id, storeId!);
    },
  );
};
