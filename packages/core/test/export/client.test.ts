import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExportClient } from '../../src/export/client.js';
import { isTrolleyError } from '../../src/errors.js';

interface Seen {
  path: string;
  authorization: string | undefined;
}

/** A loopback server answering with `handler`; records every request's path and Authorization header. */
async function server(t: { teardown(fn: () => unknown): void }, handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    s.closeAllConnections();
    return new Promise((resolve) => s.close(resolve));
  });
  return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test('next links on the API\'s own origin are followed, relative ones too, with the key', async (t) => {
  const api = await server(t, (req, res) => {
    if (req.url!.includes('after=2')) json(res, 200, { items: [{ id: 3 }], next: null });
    else json(res, 200, { items: [{ id: 1 }, { id: 2 }], next: '/api/export/products?after=2' });
  });
  const client = new ExportClient({ baseUrl: api.origin, apiKey: 'k1' });
  const items = await all(client.products());
  t.deepEqual(items.map((i) => (i as unknown as { id: number }).id), [1, 2, 3]);
  t.is(api.seen.length, 2);
  t.true(api.seen.every((s) => s.authorization === 'Bearer k1'));
});

test('a next link to another origin stops the walk: the key never reaches that host', async (t) => {
  const elsewhere = await server(t, (_req, res) => json(res, 200, { items: [], next: null }));
  const api = await server(t, (_req, res) => json(res, 200, { items: [{ id: 1 }], next: `${elsewhere.origin}/api/export/products?after=1` }));
  const client = new ExportClient({ baseUrl: api.origin, apiKey: 'secret-key' });
  const error = await t.throwsAsync(all(client.products()));
  t.true(isTrolleyError(error) && error.exitCode === 5);
  t.regex(error!.message, /sent a next link to another site \(http:\/\/127\.0\.0\.1:\d+\); trolley follows links on the API's own address only, so the API key is not sent there/);
  t.is(elsewhere.seen.length, 0);
});

test('a redirect to another origin is not followed either; one on the same origin is', async (t) => {
  const elsewhere = await server(t, (_req, res) => json(res, 200, { bySku: {}, byKey: {} }));
  const api = await server(t, (req, res) => {
    if (req.url === '/api/products/barcodes') {
      res.writeHead(307, { location: '/moved/barcodes' });
      res.end();
    } else if (req.url === '/moved/barcodes') {
      res.writeHead(307, { location: `${elsewhere.origin}/steal` });
      res.end();
    }
  });
  const client = new ExportClient({ baseUrl: api.origin, apiKey: 'secret-key' });
  const error = await t.throwsAsync(client.barcodes({ company: 'coles', skus: ['1'] }));
  t.regex(error!.message, /sent a redirect to another site/);
  t.deepEqual(api.seen.map((s) => s.path), ['/api/products/barcodes', '/moved/barcodes']);
  t.is(elsewhere.seen.length, 0);
});

test('5xx and 429 answers are retried with a pause, then the answer is used', async (t) => {
  const api = await server(t, (_req, res, n) => {
    if (n === 1) json(res, 503, { error: { message: 'warming up' } });
    else if (n === 2) json(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '0' });
    else json(res, 200, { bySku: { '1': '9300000000001' }, byKey: {} });
  });
  const client = new ExportClient({ baseUrl: api.origin, retryBackoffMs: 10 });
  const found = await client.barcodes({ company: 'coles', skus: ['1'] });
  t.deepEqual(found.bySku, { '1': '9300000000001' });
  t.is(api.seen.length, 3);
});

test('a 4xx is not retried; retries stop after the last try with the answer in the sentence', async (t) => {
  const missing = await server(t, (_req, res) => json(res, 401, { error: { message: 'bad key' } }));
  const e401 = await t.throwsAsync(new ExportClient({ baseUrl: missing.origin, retryBackoffMs: 1 }).barcodes({ company: 'coles', skus: ['1'] }));
  t.is(missing.seen.length, 1);
  t.regex(e401!.message, /answered 401: bad key/);
  const broken = await server(t, (_req, res) => json(res, 500, { error: { message: 'boom' } }));
  const e500 = await t.throwsAsync(new ExportClient({ baseUrl: broken.origin, retries: 2, retryBackoffMs: 1 }).barcodes({ company: 'coles', skus: ['1'] }));
  t.is(broken.seen.length, 3);
  t.regex(e500!.message, /answered 500: boom/);
});

test('a server that never answers: each try gives up after the timeout, then one sentence (exit 5)', async (t) => {
  const silent = await server(t, () => undefined);
  const started = Date.now();
  // A timeout of a second, so that on a loaded machine the server has read the request before the client gives up.
  const error = await t.throwsAsync(new ExportClient({ baseUrl: silent.origin, timeoutMs: 1000, retries: 1, retryBackoffMs: 1 }).barcodes({ company: 'coles', skus: ['1'] }));
  t.true(isTrolleyError(error) && error.exitCode === 5, `a TrolleyError with exit 5: ${String(error)}`);
  t.regex(error!.message, /Cannot reach the export API at .* \(no answer within 1000 ms, 2 tries\); start it with trolley serve, or check --api-url\./);
  // Both tries waited out their timeout (the second may go over the first's connection, so the server can see one request).
  const elapsed = Date.now() - started;
  t.true(silent.seen.length >= 1, 'the server saw the request');
  t.true(elapsed >= 2 * 1000 && elapsed < 30_000, `${elapsed} ms`);
});
