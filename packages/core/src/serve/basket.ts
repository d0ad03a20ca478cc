/** `POST /api/basket/split`: the cheapest way to buy a basket at at most k of the shopper's stores. */
import { splitBasket } from '../basket/split-basket.js';
import { loadSplitSolver } from '../basket/split-model.js';
import { BadRequest } from '../export/pagination.js';
import { unknownProducts } from '../reads/known-products.js';
import { MAX_BASKET_ITEMS, MAX_STORES } from './limits.js';
import { PUBLIC, storesAsked, type RouteFamily } from './params.js';
import { arrayOf, databaseId, errorSchema, integer, money, object, storeRefItem, storeSummarySchema } from './schemas.js';

interface Body {
  items: Array<{ product_id: number; quantity: number }>;
  store_ids: Array<number | string>;
  max_stores: number;
  substitutes: boolean;
}

const id = databaseId;

const planSchema = {
  type: 'object',
  required: ['stores', 'items', 'total', 'bestSingleStore', 'saving', 'unserved', 'swaps'],
  properties: {
    stores: {
      type: 'array',
      description: 'The chosen stores, with what the basket costs at each and how many items are bought there.',
      items: { ...storeSummarySchema, properties: { ...storeSummarySchema.properties, total: money, items: integer } },
    },
    items: {
      type: 'array',
      description: 'Each served item: where to buy it, what to buy (the item, or its substitute), its price and cost.',
      items: {
        type: 'object',
        properties: {
          productId: integer,
          quantity: integer,
          storeId: integer,
          buyProductId: integer,
          price: money,
          cost: money,
          swap: { type: ['object', 'null'], properties: { productId: integer, level: integer } },
        },
      },
    },
    total: money,
    bestSingleStore: { type: ['object', 'null'], properties: { storeId: integer, total: money, unserved: integer } },
    saving: { type: ['string', 'null'], description: 'The best single store total less this plan total, when both serve the same items.' },
    unserved: {
      type: 'array',
      items: { type: 'object', properties: { productId: integer, quantity: integer, reason: { type: 'string', enum: ['sold-at-none-of-the-stores', 'sold-only-at-stores-not-chosen'] } } },
    },
    swaps: { type: 'array', items: { type: 'object', properties: { productId: integer, substituteId: integer, level: integer, storeId: integer } } },
  },
} as const;

export const basketRoutes: RouteFamily = async (app, { knex, resolver, storeIdsOf }) => {
  app.addHook('onReady', loadSplitSolver);
  app.post<{ Body: Body }>(
    '/api/basket/split',
    {
      config: PUBLIC,
      schema: {
        summary: 'Split a basket across at most max_stores of the given stores at the lowest total (solved exactly as a mixed-integer program).',
        description:
          'Serves as many items as the stores allow, then makes as few swaps as possible, then pays the least. With substitutes, an item a store lacks may be bought there as its same-brand other size (level 1) or near-identical product (level 2); swaps are listed.',
        body: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_BASKET_ITEMS,
              items: { type: 'object', properties: { product_id: id, quantity: { type: 'integer', minimum: 1, maximum: 999, default: 1 } }, required: ['product_id'], additionalProperties: false },
            },
            store_ids: { type: 'array', minItems: 1, maxItems: MAX_STORES, items: storeRefItem, description: 'Database ids (12) or company:code strings ("aldi:G467").' },
            max_stores: { type: 'integer', minimum: 1, maximum: 4, default: 3 },
            substitutes: { type: 'boolean', default: false },
          },
          required: ['items', 'store_ids'],
          additionalProperties: false,
        },
        response: { 200: planSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const { items, store_ids: storeIds, max_stores: maxStores, substitutes } = request.body;
      const stores = await storesAsked(storeIdsOf, storeIds);
      const unknown = await unknownProducts(knex, [...new Set(items.map((i) => i.product_id))]);
      if (unknown.length > 0) throw new BadRequest(`items name no product with id ${unknown.slice(0, 5).join(', ')}; find ids with GET /api/products?q=.`, 'unknown-products');
      return splitBasket(knex, resolver, { items: items.map((i) => ({ productId: i.product_id, quantity: i.quantity })), storeIds: stores, maxStores, substitutes });
    },
  );
};
