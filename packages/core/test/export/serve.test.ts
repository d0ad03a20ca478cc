import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { buildServer } from '../../src/export/server.js';
import { ExportClient } from '../../src/export/client.js';
import { identityResolver } from '../../src/extensions/identity-resolver.js';
import { importFiles } from '../../src/import/import-files.js';
import { cliSandbox, silentLogger, testDatabase } from '../../src/testing/index.js';
import { REAL } from '../import/scrape-fixtures.js';

const KEY = 'test-key-1';

async function serving(t: ExecutionContext, knex: Knex): Promise<{ url: string; client: ExportClient }> {
  const app = await buildServer({ knex, resolver: identityResolver, apiKey: KEY, logger: silentLogger });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  return { url, client: new ExportClient({ baseUrl: url, apiKey: KEY }) };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** 1,000 products all named "Milk" (a default order by name would not be unique) and their prices in 3 stores. */
async function sameNames(t: ExecutionContext): Promise<Knex> {
  const { knex } = await testDatabase(t);
  await knex.raw(`insert into companies (name, display_name) values ('aldi', 'Aldi')`);
  await knex.raw(`insert into stores (company_id, store_id) select 1, 'S' || i from generate_series(1, 3) i`);
  await knex.raw(`insert into products (nnbs, name) select 'milk ' || i, 'Milk' from generate_series(1, 1000) i`);
  await knex.raw(`insert into prices (store_id, product_id, price, scraped_date) select s.id, p.id, 1.00, '2026-01-31' from stores s, products p`);
  return knex;
}

test('every id exactly once across pages, though every name and price is the same', async (t) => {
  const knex = await sameNames(t);
  const { client } = await serving(t, knex);
  const products = await collect(client.products({ limit: 7 }));
  t.is(products.length, 1000);
  t.is(new Set(products.map((p) => p.id)).size, 1000);
  const prices = await collect(client.prices({ limit: 13 }));
  t.is(prices.length, 3000);
  t.is(new Set(prices.map((p) => p.id)).size, 3000);
  const resolved = await collect(client.prices({ storeIds: [3, 1], limit: 11 }));
  t.is(resolved.length, 2000);
  t.is(new Set(resolved.map((p) => `${p.storeId}-${p.productId}`)).size, 2000);
  t.deepEqual([...new Set(resolved.map((p) => p.storeId))], [1, 3], 'ordered by store, then product');
});

test('a client walking the API while rows are inserted never loops and misses none that were there', async (t) => {
  const knex = await sameNames(t);
  const { client } = await serving(t, knex);
  const seen: number[] = [];
  let inserted = 0;
  for await (const product of client.products({ limit: 50 })) {
    seen.push(product.id);
    if (seen.length % 50 === 0 && inserted < 400) {
      await knex.raw(`insert into products (nnbs, name) select 'late ' || ? || '-' || i, 'Milk' from generate_series(1, 20) i`, [inserted]);
      inserted += 20;
    }
  }
  t.is(new Set(seen).size, seen.length, 'no id twice');
  t.true(seen.length >= 1000 && seen.length <= 1400, `${seen.length} ids`);
  for (let id = 1; id <= 1000; id++) t.true(seen.includes(id) || t.fail(`id ${id} missed`));
});

test('malformed requests get a 4xx with a JSON error, never a 500', async (t) => {
  const knex = await sameNames(t);
  const { url } = await serving(t, knex);
  const ask = async (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const key = init.key === undefined ? KEY : init.key;
    const response = await fetch(new URL(path, url), { ...init, headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.headers as Record<string, string> | undefined) } });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  };
  const cases: Array<[string, Awaited<ReturnType<typeof ask>>, number, string]> = [
    ['missing key', await ask('/api/export/products', { key: null }), 401, 'missing-key'],
    ['wrong key', await ask('/api/export/products', { key: 'nope' }), 401, 'wrong-key'],
    ['bad ids', await ask('/api/export/prices?store_ids=1,abc'), 400, 'bad-ids'],
    ['huge page', await ask('/api/export/products?limit=1000000'), 400, 'bad-limit'],
    ['zero page', await ask('/api/export/products?limit=0'), 400, 'bad-limit'],
    ['bad cursor', await ask('/api/export/products?cursor=bm9wZQ'), 400, 'bad-cursor'],
    ['cursor of another route', await ask('/api/export/prices?store_ids=1&cursor=WzJd'), 400, 'bad-cursor'],
    ['bad after', await ask('/api/export/products?after=-3'), 400, 'bad-after'],
    ['bad date', await ask('/api/export/prices?scraped_since=2026-02-30'), 400, 'bad-date'],
    ['unknown parameter', await ask('/api/export/products?page=2'), 400, 'unknown-parameter'],
    ['bad JSON body', await ask('/api/products/barcodes', { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } }), 400, 'FST_ERR_CTP_INVALID_JSON_BODY'],
    ['skus without company', await ask('/api/products/barcodes', { method: 'POST', body: '{"skus":["1"]}', headers: { 'content-type': 'application/json' } }), 400, 'bad-body'],
    ['too many', await ask('/api/products/barcodes', { method: 'POST', body: JSON.stringify({ keys: Array.from({ length: 5001 }, (_, i) => `k${i}`) }), headers: { 'content-type': 'application/json' } }), 400, 'too-many'],
    ['unknown route', await ask('/api/export/nothing'), 404, 'not-found'],
  ];
  for (const [name, { status, body }, want, code] of cases) {
    t.is(status, want, name);
    t.is(body.error?.code, code, name);
    t.true((body.error?.message ?? '').length > 10, name);
  }
  t.is((await ask('/healthz', { key: null })).status, 200, 'the health check needs no key');
});

test('the barcode lookup answers the barcodes the database knows, by SKU and by product key', async (t) => {
  const { knex } = await testDatabase(t);
  await importFiles(knex, [`${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`]);
  const known = (await knex.raw(`select k.sku, p.nnbs, p.barcode from product_skus k join products p on p.id = k.product_id where p.barcode is not null order by k.sku limit 30`)).rows as Array<{ sku: string; nnbs: string; barcode: string }>;
  t.is(known.length, 30);
  const { client } = await serving(t, knex);
  const bySku = await client.barcodes({ company: 'iga', skus: [...known.map((k) => k.sku), 'no-such-sku'] });
  t.deepEqual(bySku.bySku, Object.fromEntries(known.map((k) => [k.sku, k.barcode])));
  const byKey = await client.barcodes({ keys: known.slice(0, 5).map((k) => k.nnbs) });
  t.deepEqual(byKey.byKey, Object.fromEntries(known.slice(0, 5).map((k) => [k.nnbs, k.barcode])));
  t.deepEqual((await client.barcodes({ company: 'coles', skus: known.map((k) => k.sku) })).bySku, {}, 'SKUs belong to their company');
});

test('serve refuses to start without a key, and --no-auth off loopback', async (t) => {
  const cli = cliSandbox(t);
  const noKey = await cli.run(['serve', '--port', '0']);
  t.is(noKey.code, 2);
  t.regex(noKey.stderr, /Set TROLLEY_API_KEY/);
  const open = await cli.run(['serve', '--no-auth', '--host', '0.0.0.0']);
  t.is(open.code, 2);
  t.regex(open.stderr, /--no-auth is allowed on a loopback address only/);
});

test('next links are relative, never built from the Host header; scraped_since=0000-01-01 is a 400', async (t) => {
  const { knex } = await testDatabase(t);
  await importFiles(knex, [`${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`]);
  const app = await buildServer({ knex, resolver: identityResolver, apiKey: KEY, logger: silentLogger });
  t.teardown(() => app.close());
  const page = await app.inject({ method: 'GET', url: '/api/export/products?limit=2', headers: { 'x-api-key': KEY, host: 'evil.example' } });
  t.is(page.statusCode, 200);
  const next = (page.json() as { next: string }).next;
  t.regex(next, /^\/api\/export\/products\?/);
  t.false(next.includes('evil'));
  const old = await app.inject({ method: 'GET', url: '/api/export/prices?scraped_since=0000-01-01', headers: { 'x-api-key': KEY } });
  t.is(old.statusCode, 400);
});

test('serve refuses a blank TROLLEY_API_KEY at start', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['serve', '--port', '0'], { env: { TROLLEY_API_KEY: '  ' } });
  t.is(run.code, 2);
  t.regex(run.stderr, /TROLLEY_API_KEY is blank/);
});

test('store_ids in a POST body: 5,000 ids fit, pages follow the cursor, the answer equals the GET; bad bodies are 400s; the client sends long lists this way', async (t) => {
  const knex = await sameNames(t);
  const { url, client } = await serving(t, knex);
  const many = [3, 1, ...Array.from({ length: 4_998 }, (_, i) => 10_000 + i)];
  const headers = { 'content-type': 'application/json', 'x-api-key': KEY };
  const viaGet = (await (await fetch(`${url}/api/export/prices?store_ids=3,1&limit=5000`, { headers })).json()) as { items: Array<{ id: number }> };
  t.is(viaGet.items.length, 2000);
  const tooLong = await fetch(`${url}/api/export/prices?store_ids=${many.join(',')}`, { headers });
  t.true(tooLong.status >= 400 && tooLong.status < 500, `a query of 5,000 ids does not fit a request head (${tooLong.status})`);
  const pages: Array<{ items: Array<{ id: number }>; cursor: string | null }> = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(`${url}/api/export/prices`, { method: 'POST', headers, body: JSON.stringify({ store_ids: many, limit: 700, ...(cursor ? { cursor } : {}) }) });
    t.is(response.status, 200);
    pages.push((await response.json()) as (typeof pages)[number]);
    cursor = pages.at(-1)!.cursor;
  } while (cursor !== null && pages.length < 10);
  t.is(pages.length, 3, '2,000 prices in pages of 700');
  t.deepEqual(pages.flatMap((p) => p.items), viaGet.items, 'the same prices in the same order as the GET');
  const walked = [];
  for await (const price of client.prices({ storeIds: many, limit: 900 })) walked.push(price);
  t.deepEqual(walked, viaGet.items, 'the client posts a long list and follows the cursor');

  const bad: Array<[unknown, string]> = [
    [[1, 2], 'bad-body'],
    [{ store_ids: [] }, 'bad-ids'],
    [{ store_ids: ['1'] }, 'bad-ids'],
    [{ store_ids: [1.5] }, 'bad-ids'],
    [{ store_ids: Array.from({ length: 5_001 }, (_, i) => i + 1) }, 'bad-ids'],
    [{ store_ids: [1], limit: 0 }, 'bad-limit'],
    [{ store_ids: [1], limit: 'x' }, 'bad-limit'],
    [{ store_ids: [1], scraped_since: 20250101 }, 'bad-body'],
    [{ store_ids: [1], scraped_since: '2025-02-30' }, 'bad-date'],
    [{ store_ids: [1], cursor: 'nope' }, 'bad-cursor'],
    [{ store_ids: [1], page: 2 }, 'bad-body'],
  ];
  for (const [body, code] of bad) {
    const response = await fetch(`${url}/api/export/prices`, { method: 'POST', headers, body: JSON.stringify(body) });
    const answer = (await response.json()) as { error?: { code: string } };
    t.is(response.status, 400, JSON.stringify(body).slice(0, 80));
    t.is(answer.error?.code, code, JSON.stringify(body).slice(0, 80));
  }
});
