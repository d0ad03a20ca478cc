/**
 * JSON-schema pieces the read routes' schemas are built from (Fastify validates requests and
 * serialises answers with them, and the OpenAPI document is generated from them).
 */
import { MAX_STORES } from './limits.js';

export const integer = { type: 'integer' } as const;
export const text = { type: 'string' } as const;
export const nullableText = { type: ['string', 'null'] } as const;
export const bool = { type: 'boolean' } as const;
export const date = { type: 'string', format: 'date' } as const;
export const money = { type: 'string', description: 'Dollars with 2 decimals.' } as const;
export const nullableMoney = { type: ['string', 'null'], description: 'Dollars with 2 decimals, or null.' } as const;

export const object = <P extends Record<string, unknown>>(properties: P) => ({ type: 'object', properties }) as const;
export const arrayOf = <I>(items: I) => ({ type: 'array', items }) as const;
/** An answer that is a list: `{items: [...]}`, with more properties when given. */
export const listOf = <I, P extends Record<string, unknown>>(items: I, more?: P) => object({ items: arrayOf(items), ...(more ?? ({} as P)) });

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: text, message: text }, required: ['code', 'message'] } },
  required: ['error'],
} as const;

export const databaseId = { type: 'integer', minimum: 1, maximum: 999_999_999_999_999 } as const;

export const idParams = { type: 'object', properties: { id: databaseId }, required: ['id'], additionalProperties: false } as const;

/** A store named in a query: its database id (`12`) or its company and code (`aldi:G467`). */
const STORE_REF = '(?:[0-9]{1,15}|[A-Za-z][A-Za-z ]{0,30}:[A-Za-z0-9:_.-]{1,40})';

export const storeIdsParam = {
  type: 'string',
  pattern: `^ *${STORE_REF} *( *, *${STORE_REF} *)*$`,
  maxLength: 20_000,
  description: `Comma-separated stores (at most ${MAX_STORES}): database ids (12) or company:code (aldi:G467).`,
} as const;

/** One store in a JSON body: a database id, or a company:code string. */
export const storeRefItem = { anyOf: [databaseId, { type: 'string', pattern: `^ *${STORE_REF} *$`, maxLength: 80 }] } as const;

export const storeIdParam = { type: 'string', pattern: `^ *${STORE_REF} *$`, description: 'A store: its database id (12) or company:code (aldi:G467).' } as const;

/** The query of a route about some stores: `store_ids` and a page size. */
export const storesQuery = (limit: { maximum: number; default: number }) =>
  ({ type: 'object', properties: { store_ids: storeIdsParam, limit: { type: 'integer', minimum: 1, ...limit } }, required: ['store_ids'], additionalProperties: false }) as const;

/** A store as the read routes name it: its database id, company, the company's own code, name, state and postcode. */
export const storeSummarySchema = object({
  id: integer,
  company: text,
  code: { type: 'string', description: "The company's own store id (G467)." },
  name: nullableText,
  state: nullableText,
  postcode: nullableText,
});
