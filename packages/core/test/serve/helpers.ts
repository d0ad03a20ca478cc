/** A read API on a real database filled from the trimmed real scrape files, served on loopback. */
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { buildServer } from '../../src/export/server.js';
import { identityResolver } from '../../src/extensions/identity-resolver.js';
import { importFiles } from '../../src/import/import-files.js';
import type { StoreIdForm } from '../../src/prices/store-summaries.js';
import { silentLogger, testDatabase } from '../../src/testing/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/search/', import.meta.url));
export const KEY = 'serve-test-key';

export const ALDI = 'aldi-edgecliff-g467-2025-09-19.jsonl.gz';
export const IGA = 'iga-local-grocer-north-sydney-2025-09-19.jsonl.gz';
export const G147 = ['09', '12', '22'].map((d) => `aldi-aldi-store-g147-g147-2025-09-${d}.jsonl.gz`);

/** A test database with the given fixture files imported (Aldi Edgecliff and IGA North Sydney by default). */
export async function fixtureDatabase(t: ExecutionContext, files: readonly string[] = [ALDI, IGA]): Promise<Knex> {
  const { knex } = await testDatabase(t);
  await importFiles(knex, files.map((f) => FIXTURES + f));
  return knex;
}

export interface Api {
  readonly url: string;
  get<T = any>(path: string, init?: { key?: string | null }): Promise<{ status: number; body: T }>;
  post<T = any>(path: string, body: unknown, init?: { key?: string | null }): Promise<{ status: number; body: T }>;
}

export async function serveApi(t: ExecutionContext, knex: Knex, options: { publicReads?: boolean; storeIdForm?: StoreIdForm } = {}): Promise<Api> {
  const app = await buildServer({ knex, resolver: identityResolver, apiKey: KEY, publicReads: options.publicReads, logger: silentLogger, storeIdForm: options.storeIdForm });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const call = async (path: string, init: RequestInit, key: string | null | undefined) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    if ((key === undefined ? KEY : key) !== null) headers['x-api-key'] = key ?? KEY;
    const response = await fetch(new URL(path, url), { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  };
  return {
    url,
    get: (path, init = {}) => call(path, {}, init.key),
    post: (path, body, init = {}) => call(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }, init.key),
  };
}

export async function storeId(knex: Knex, company: string, code: string): Promise<number> {
  const { rows } = await knex.raw(`select s.id from stores s join companies c on c.id = s.company_id where c.name = ? and s.store_id = ?`, [company, code]);
  if (!rows[0]) throw new Error(`no store ${company} ${code}`);
  return Number(rows[0].id);
}

export async function productBySku(knex: Knex, company: string, sku: string): Promise<number> {
  const { rows } = await knex.raw(`select k.product_id from product_skus k join companies c on c.id = k.company_id where c.name = ? and k.sku = ?`, [company, sku]);
  if (!rows[0]) throw new Error(`no product ${company} ${sku}`);
  return Number(rows[0].product_id);
}

/**
 * The server's search reads a changed catalogue again within SEARCH_CHECK_EVERY_MS of the change
 * (plus the reading): asks `read` until `done` holds of its answer or 10 s pass; the last answer.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
