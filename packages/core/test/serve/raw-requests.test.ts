/**
 * Requests no polite client sends, written byte by byte on a TCP socket on loopback: a NUL in a
 * path parameter, a query or a body key, HTTP/1.0 without Host, a malformed Host, store_ids of the
 * wrong type in a POST body. Each is answered with a 4xx and the API's JSON error shape — never a
 * 500, never a dropped connection.
 */
import test from 'ava';
import net from 'node:net';
import { fixtureDatabase, KEY, serveApi, storeId } from './helpers.js';

interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Sends `request` as it is and reads the whole answer (the request asks the server to close). */
function raw(url: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.setTimeout(20_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(request.slice(0, 80))}`)));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: rest.join('\r\n\r\n') });
    });
    // Written, not ended: a half-closed socket may be closed by the server before it answers (each
    // request asks the server to close the connection when it has answered).
    socket.write(request);
  });
}

const get = (path: string, headers = 'Host: 127.0.0.1\r\n', version = '1.1') => `GET ${path} HTTP/${version}\r\n${headers}X-API-Key: ${KEY}\r\nConnection: close\r\n\r\n`;
const post = (path: string, body: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

/** A 4xx whose body is `{"error": {"code", "message"}}` (chunked bodies are unwrapped). */
function assertJsonError(t: import('ava').ExecutionContext, response: RawResponse, what: string): void {
  t.true(response.status >= 400 && response.status < 500, `${what}: ${response.status} ${response.head.split('\r\n')[0]} ${response.body.slice(0, 200)}`);
  const text = /transfer-encoding: chunked/i.test(response.head) ? response.body.replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n|\r\n0\r\n\r\n$/gi, '') : response.body;
  let body: { error?: { code?: unknown; message?: unknown } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    t.fail(`${what}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  t.true(typeof body.error?.code === 'string' && typeof body.error?.message === 'string', `${what}: ${text.slice(0, 200)}`);
}

test('NUL in a path parameter, a query and a barcode key, HTTP/1.0 without Host, a malformed Host, store_ids of the wrong type: each a 4xx with a JSON error, never a 500', async (t) => {
  const knex = await fixtureDatabase(t);
  const api = await serveApi(t, knex);
  const store = await storeId(knex, 'aldi', 'G467');
  const cases: Array<[string, string]> = [
    ['NUL in the product id of the path', get('/api/products/1%00')],
    ['NUL as the whole product id', get('/api/products/%00')],
    ['NUL in the prices path', get(`/api/products/%00/prices?store_ids=${store}`)],
    ['NUL in store_ids', get(`/api/export/prices?store_ids=${store}%00`)],
    ['NUL in scraped_since', get('/api/export/prices?scraped_since=2025-09-01%00')],
    ['NUL in a cursor', get('/api/export/products?cursor=%00')],
    ['NUL in a search', get('/api/products/search?q=%00milk')],
    ['NUL in a barcode key', post('/api/products/barcodes', JSON.stringify({ keys: ['milk\u0000'] }))],
    ['NUL in a SKU and company', post('/api/products/barcodes', JSON.stringify({ company: 'aldi\u0000', skus: ['1\u0000'] }))],
    ['store_ids a string in a POST body', post('/api/basket/split', JSON.stringify({ items: [{ query: 'milk', quantity: 1 }], store_ids: `${store}` }))],
    ['store_ids of strings in a POST body', post('/api/basket/split', JSON.stringify({ items: [{ query: 'milk', quantity: 1 }], store_ids: ['x'] }))],
    ['store_ids an object in a POST body', post('/api/basket/split', JSON.stringify({ items: [{ query: 'milk', quantity: 1 }], store_ids: { id: store } }))],
    ['store_ids null in a POST body', post('/api/basket/split', JSON.stringify({ items: [{ query: 'milk', quantity: 1 }], store_ids: null }))],
    ['store_ids of huge numbers in a POST body', post('/api/basket/split', JSON.stringify({ items: [{ query: 'milk', quantity: 1 }], store_ids: [1e300] }))],
    ['a body that is not JSON', post('/api/basket/split', '{"items": [')],
    ['a body that is JSON null', post('/api/products/barcodes', 'null')],
    ['Host: [::1 (malformed)', get('/api/export/products?limit=1', 'Host: [::1\r\n')],
    ['Host with a path in it', get('/api/export/products?limit=1', 'Host: a/b\r\n')],
    ['HTTP/1.1 without Host (RFC 9112 asks for a 400)', get('/api/export/products?limit=1', '')],
  ];
  for (const [what, request] of cases) assertJsonError(t, await raw(api.url, request), what);

  // HTTP/1.0 needs no Host, and a Host names no link: answered, with a relative next link.
  for (const [what, request] of [
    ['HTTP/1.0 without Host', get('/api/export/products?limit=1', '', '1.0')],
    ['Host: evil.example', get('/api/export/products?limit=1', 'Host: evil.example\r\n')],
    ['Host: [::1]:8080', get('/api/export/products?limit=1', 'Host: [::1]:8080\r\n')],
  ] as const) {
    const response = await raw(api.url, request);
    t.is(response.status, 200, `${what}: ${response.head}`);
    t.regex(response.body, /"next":"\/api\/export\/products\?[^"]*cursor=/, `${what}: the next link is relative`);
  }
});
