/**
 * `trolley serve`: the read-only export API (docs/commands.md) on fastify. Every route but `/healthz` needs
 * the API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`, compared in constant time); bad
 * parameters are a 400 with a JSON error, never a 500.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { PricingStoreResolver } from '../extensions/api.js';
import { knownBarcodes, MAX_BARCODE_QUERY } from './known-barcodes.js';
import { productsPage, resolvedPricesPage, storedPricesPage, type Page } from './export-queries.js';
import { InputError } from '../errors.js';
import { BadRequest, encodeCursor, idList, isoDate, MAX_PAGE, pageSize, startKey } from './pagination.js';
import { registerOpenApi } from '../serve/openapi.js';
import { productRoutes } from '../serve/products.js';
import { priceRoutes } from '../serve/prices.js';
import { substituteRoutes } from '../serve/substitutes.js';
import { bargainRoutes } from '../serve/bargains.js';
import { storeRoutes } from '../serve/stores.js';
import { basketRoutes } from '../serve/basket.js';
import { webRoutes } from '../serve/web.js';
import { KeptLookup } from '../serve/kept-lookup.js';
import type { ReadRouteOptions } from '../serve/params.js';
import { storeIdsOf, type StoreIdForm } from '../prices/store-summaries.js';
import { SEARCH_CHECK_EVERY_MS } from '../search/search-index.js';

export interface ServerOptions {
  readonly knex: Knex;
  readonly resolver: PricingStoreResolver;
  /** Undefined: no key asked (only allowed on loopback, checked by the command). */
  readonly apiKey: string | undefined;
  /** Public read routes (search, prices, the web page) answer without the key. */
  readonly publicReads?: boolean;
  readonly logger: Logger;
  /** Store codes in a company's own form (`coles:0584` for `COL:584`), from the installed scrapers. */
  readonly storeIdForm?: StoreIdForm | undefined;
  /** Worker threads for product search (search-threads.ts); undefined: the default. */
  readonly searchThreads?: number | undefined;
  /** How often, at most, the read routes' kept store answers are looked up again (ms; tests shorten it). */
  readonly keptRefreshEveryMs?: number;
}

type Query = Record<string, string | undefined>;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { default: fastify } = await import('fastify');
  // Node answers an HTTP/1.1 request without Host with a bare 400 and no body; the hook below
  // answers it in the API's JSON error shape instead.
  // No limit on a plugin's start: product search reads the whole catalogue before the server
  // listens (seconds for 50,000 products on a loaded machine; fastify's default allows 10 s).
  const app = fastify({ logger: false, bodyLimit: 1 << 20, ajv: { customOptions: { removeAdditional: false } }, http: { requireHostHeader: false }, pluginTimeout: 0 });
  await registerOpenApi(app);
  const expected = options.apiKey === undefined ? undefined : digest(options.apiKey);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof BadRequest) return reply.code(400).send({ error: { code: error.code, message: error.message } });
    // A library function refusing what it was asked (an unknown postcode, say) is the asker's mistake.
    if (error instanceof InputError) return reply.code(400).send({ error: { code: error.code, message: error.message } });
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: error.code ?? 'bad-request', message: error.message } });
    }
    options.logger.error({ err: error, url: request.url }, 'export API request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'The server failed to answer; see its log.' } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'not-found', message: `No route ${request.method} ${request.url.split('?')[0]}; see GET /healthz and /api/export/*.` } }));

  // Hooks in callback form (no promise per request), and the Host header parsed once per distinct
  // value: clients send the same Host on every request, and parsing it is most of the hook's cost.
  const hosts = new HostCheck();
  app.addHook('onRequest', (request, reply, done) => {
    const host = request.headers.host;
    if (host === undefined && request.raw.httpVersion === '1.1') return void reply.code(400).send({ error: { code: 'missing-host', message: 'An HTTP/1.1 request needs a Host header.' } });
    if (host !== undefined && !hosts.valid(host)) return void reply.code(400).send({ error: { code: 'bad-host', message: `The Host header ${JSON.stringify(host.slice(0, 100))} is not a host name or address with an optional port.` } });
    if (expected === undefined || request.url === '/healthz') return done();
    if ((options.publicReads || request.routeOptions.config.page === true) && request.routeOptions.config.public === true) return done();
    const given = keyOf(request);
    if (given === undefined) return void reply.code(401).send({ error: { code: 'missing-key', message: 'An API key is needed: send Authorization: Bearer KEY or X-API-Key: KEY.' } });
    if (!timingSafeEqual(digest(given), expected)) return void reply.code(401).send({ error: { code: 'wrong-key', message: 'The API key is not the one this server was started with.' } });
    done();
  });

  // No text a database can store holds a NUL character: refused here, for every route, before any
  // query could fail on it (a NUL in a barcode key was a 500).
  app.addHook('preValidation', (request, _reply, done) => {
    if (hasNul(request.url) || (request.body !== undefined && hasNul(JSON.stringify(request.body) ?? ''))) {
      return done(new BadRequest('the request holds a NUL character (%00 or \\u0000), which no name, key or id can contain; remove it.', 'bad-character'));
    }
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // The read routes name stores and read through pricing stores on nearly every request: both
  // answers are kept in memory (kept-lookup.ts), looked up again at most every 2 s.
  const keep = { refreshEveryMs: options.keptRefreshEveryMs ?? SEARCH_CHECK_EVERY_MS, logger: options.logger };
  const keptStoreIds = new KeptLookup<string, number>((refs) => storeIdsOf(options.knex, refs, options.storeIdForm), keep);
  const keptPricingStores = new KeptLookup<number, number>((ids) => options.resolver.pricingStoreOf(ids), keep);
  app.addHook('onClose', () => Promise.all([keptStoreIds.close(), keptPricingStores.close()]).then(() => undefined));
  const reads: ReadRouteOptions = {
    knex: options.knex,
    logger: options.logger,
    searchThreads: options.searchThreads,
    storeIdsOf: (refs) => keptStoreIds.get(refs),
    resolver: { id: options.resolver.id, priority: options.resolver.priority, pricingStoreOf: (ids) => keptPricingStores.get(ids) },
  };
  for (const routes of [productRoutes, priceRoutes, substituteRoutes, bargainRoutes, storeRoutes, basketRoutes, webRoutes]) await app.register(routes, reads);

  app.get('/api/export/products', async (request, reply) => {
    const query = request.query as Query;
    known(query, ['cursor', 'after', 'limit']);
    const limit = pageSize(query.limit);
    const page = await productsPage(options.knex, startKey(query, 1), limit);
    return send(request, reply, page, limit);
  });

  app.get('/api/export/prices', async (request, reply) => {
    const query = request.query as Query;
    known(query, ['cursor', 'after', 'limit', 'store_ids', 'scraped_since']);
    const limit = pageSize(query.limit);
    const storeIds = idList(query.store_ids, 'store_ids');
    const scrapedSince = isoDate(query.scraped_since, 'scraped_since');
    if (storeIds === undefined) return send(request, reply, await storedPricesPage(options.knex, { scrapedSince, after: startKey(query, 1), limit }), limit);
    const mapping = await options.resolver.pricingStoreOf(storeIds);
    return send(request, reply, await resolvedPricesPage(options.knex, mapping, { scrapedSince, after: startKey(query, 2), limit }), limit);
  });

  // The same question with the stores in a JSON body: up to 5,000 store ids do not fit in a request
  // head. The next page is asked with the same body and the answer's cursor.
  app.post('/api/export/prices', async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequest('send a JSON body: {"store_ids": [1, 2], "scraped_since": "2025-09-01", "limit": 500, "cursor": "…"}.', 'bad-body');
    }
    const extra = Object.keys(body).find((name) => !['store_ids', 'scraped_since', 'limit', 'cursor'].includes(name));
    if (extra !== undefined) throw new BadRequest(`the body has a field ${JSON.stringify(extra.slice(0, 40))}; it takes store_ids, scraped_since, limit and cursor.`, 'bad-body');
    const ids = body.store_ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_PAGE || !ids.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) {
      throw new BadRequest(`store_ids must be a list of 1 to ${MAX_PAGE} store ids (whole numbers).`, 'bad-ids');
    }
    const text = (name: string) => {
      const value = body[name];
      if (value === undefined || typeof value === 'string') return value;
      if (name === 'limit' && typeof value === 'number') return String(value);
      throw new BadRequest(`${name} must be ${name === 'limit' ? 'a whole number' : 'a string'}.`, 'bad-body');
    };
    const limit = pageSize(text('limit'));
    const scrapedSince = isoDate(text('scraped_since'), 'scraped_since');
    const mapping = await options.resolver.pricingStoreOf([...new Set(ids as number[])]);
    const page = await resolvedPricesPage(options.knex, mapping, { scrapedSince, after: startKey({ cursor: text('cursor') }, 2), limit });
    return { items: page.items, cursor: page.last ? encodeCursor(page.last) : null };
  });

  app.post('/api/products/barcodes', async (request) => {
    const body = request.body as { company?: unknown; skus?: unknown; keys?: unknown } | undefined;
    const strings = (value: unknown, name: string) => {
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 200)) throw new BadRequest(`${name} must be a list of non-empty strings.`, 'bad-body');
      return value as string[];
    };
    if (typeof body !== 'object' || body === null) throw new BadRequest('send a JSON body: {"company": "coles", "skus": [...]} or {"keys": [...]}.', 'bad-body');
    const skus = strings(body.skus, 'skus');
    const keys = strings(body.keys, 'keys');
    if (skus === undefined && keys === undefined) throw new BadRequest('send skus (with company) or keys.', 'bad-body');
    if (skus !== undefined && skus.length > 0 && (typeof body.company !== 'string' || body.company === '')) throw new BadRequest('skus belong to a company: send "company" too.', 'bad-body');
    if ((skus?.length ?? 0) + (keys?.length ?? 0) > MAX_BARCODE_QUERY) throw new BadRequest(`ask about at most ${MAX_BARCODE_QUERY} skus and keys at once.`, 'too-many');
    return knownBarcodes(options.knex, { company: body.company as string | undefined, skus, keys });
  });

  return app;
}

function send<T>(request: FastifyRequest, reply: FastifyReply, page: Page<T>, limit: number) {
  let next: string | null = null;
  if (page.last) {
    // Relative to this server: never built from the request's Host header, which a client chooses.
    const url = new URL(request.url, 'http://server.invalid');
    url.searchParams.delete('after');
    url.searchParams.set('cursor', encodeCursor(page.last));
    url.searchParams.set('limit', String(limit));
    next = `${url.pathname}${url.search}`;
  }
  return reply.send({ items: page.items, next });
}

function validHost(host: string): boolean {
  try {
    return new URL(`http://${host}/`).host !== '' && !/[\s/?#@]/.test(host);
  } catch {
    return false;
  }
}

/** validHost, remembering the last valid Host seen (a bad one is checked, and refused, each time). */
class HostCheck {
  private lastValid: string | undefined;

  valid(host: string): boolean {
    if (host === this.lastValid) return true;
    if (!validHost(host)) return false;
    this.lastValid = host;
    return true;
  }
}

/** A NUL character, raw, percent-encoded or escaped in JSON. */
function hasNul(text: string): boolean {
  return text.includes('\u0000') || /%00/.test(text) || text.includes('\\u0000');
}

function known(query: Query, names: readonly string[]): void {
  for (const name of Object.keys(query)) if (!names.includes(name)) throw new BadRequest(`unknown parameter ${name}; this route takes ${names.join(', ')}.`, 'unknown-parameter');
  for (const [name, value] of Object.entries(query)) if (Array.isArray(value)) throw new BadRequest(`give ${name} once.`, 'repeated-parameter');
}

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

/** Keys compare as SHA-256 digests: equal length, so the comparison time says nothing about the key. */
function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
