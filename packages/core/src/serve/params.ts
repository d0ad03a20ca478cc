/**
 * What the read routes share: the options they are built with, the common schemas (schemas.ts),
 * and parsers for the parameters a schema cannot fully check (lists in one query parameter).
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { PricingStoreResolver, StoreId } from '../extensions/api.js';
import { BadRequest } from '../export/pagination.js';
import { MAX_STORES } from './limits.js';

/** Database ids of stores named by id or company:code (storeIdsOf, or the server's kept answers of it). */
export type StoreIdsOf = (refs: readonly string[]) => Promise<ReadonlyMap<string, StoreId>>;

export interface ReadRouteOptions {
  readonly knex: Knex;
  readonly resolver: PricingStoreResolver;
  readonly storeIdsOf: StoreIdsOf;
  readonly logger: Logger;
  /** Worker threads for product search; undefined: the default. */
  readonly searchThreads?: number | undefined;
}

export type RouteFamily = (app: FastifyInstance, options: ReadRouteOptions) => Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without a key when the server runs with --public. */
    public?: boolean;
    /** The web page's static files: they hold no data, so they answer without a key always. */
    page?: boolean;
  }
}

/** Routes with this config answer without a key when the server runs with --public. */
export const PUBLIC = { public: true } as const;
export const PAGE = { public: true, page: true } as const;

/** `1, aldi:G467,3` → ['1', 'aldi:G467', '3'] (duplicates dropped, order kept); more than {@link MAX_STORES} is refused. */
export function parseStoreRefs(value: string | ReadonlyArray<string | number> | undefined, name = 'store_ids'): string[] {
  if (Array.isArray(value)) return parseStoreRefs(value.join(','), name);
  if (value === undefined || typeof value !== 'string' || value.trim() === '') throw new BadRequest(`${name} is needed: comma-separated store ids or company:code, e.g. ${name}=1,aldi:G467.`, 'missing-stores');
  const refs = [...new Set(value.split(',').map((v) => v.trim()))];
  if (refs.length > MAX_STORES) throw new BadRequest(`${name} names ${refs.length} stores; ask about at most ${MAX_STORES} at once.`, 'too-many-stores');
  return refs;
}

/** A 404 with the API's error body (the server's error handler answers any 4xx error with its code). */
export function notFound(message: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode: 404, code: 'not-found' });
}

/**
 * The stores a request asks about (`store_ids`, or `store_id` with `name`): database ids or
 * company:code, at most {@link MAX_STORES}, every one known; their database ids, in the order asked.
 */
export async function storesAsked(storeIdsOf: StoreIdsOf, value: string | ReadonlyArray<string | number> | undefined, name = 'store_ids'): Promise<number[]> {
  const refs = parseStoreRefs(value, name);
  const ids = await storeIdsOf(refs);
  const unknown = refs.filter((ref) => !ids.has(ref));
  if (unknown.length > 0) {
    throw new BadRequest(`${name} names no store ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}; GET /api/stores lists them (by id and company:code).`, 'unknown-stores');
  }
  return [...new Set(refs.map((ref) => ids.get(ref)!))];
}
