/**
 * What the read routes share: the options they are built with, the common schemas (schemas.ts),
 * and parsers for the parameters a schema cannot fully check (lists in one query parameter).
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { PricingStoreResolver } from '../extensions/api.js';
import { BadRequest } from '../export/pagination.js';
import { unknownStores } from '../prices/store-summaries.js';
import { MAX_STORES } from './limits.js';

export interface ReadRouteOptions {
  readonly knex: Knex;
  readonly resolver: PricingStoreResolver;
  readonly logger: Logger;
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

/** `1, 2,3` → [1, 2, 3] (duplicates dropped, order kept); more than {@link MAX_STORES} is refused. */
export function parseStoreIds(value: string | undefined, name = 'store_ids'): number[] {
  if (value === undefined || value.trim() === '') throw new BadRequest(`${name} is needed: comma-separated store ids, e.g. ${name}=1,2.`, 'missing-stores');
  const ids = [...new Set(value.split(',').map((v) => Number(v.trim())))];
  return checkStoreCount(ids, name);
}

export function checkStoreCount(ids: readonly number[], name = 'store_ids'): number[] {
  if (ids.length > MAX_STORES) throw new BadRequest(`${name} names ${ids.length} stores; ask about at most ${MAX_STORES} at once.`, 'too-many-stores');
  return [...ids];
}

/** A 404 with the API's error body (the server's error handler answers any 4xx error with its code). */
export function notFound(message: string): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode: 404, code: 'not-found' });
}

/** The stores a request asks about (`store_ids`): parsed, at most {@link MAX_STORES}, every one known. */
export async function storesAsked(knex: Knex, storeIds: string | undefined): Promise<number[]> {
  const ids = parseStoreIds(storeIds);
  await requireStores(knex, ids);
  return ids;
}

/** Refuses ids that are no store, naming them. */
export async function requireStores(knex: Knex, ids: readonly number[], name = 'store_ids'): Promise<void> {
  const unknown = await unknownStores(knex, ids);
  if (unknown.length > 0) throw new BadRequest(`${name} names no store with id ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}; GET /api/stores lists them.`, 'unknown-stores');
}
