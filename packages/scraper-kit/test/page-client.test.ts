import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { GotScrapingHttpClient, type HttpRequest, type StreamingHttpResponse } from '@crawlee/http';
import { ACCEPT_ENCODING, PageHttpClient } from '../src/page-client.js';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback } from '../src/testing/fixture-site.js';

const TLS_DIR = fileURLToPath(new URL('../../test/tls', import.meta.url));
const tls = { key: fs.readFileSync(path.join(TLS_DIR, 'loopback-key.pem')), cert: fs.readFileSync(path.join(TLS_DIR, 'loopback-cert.pem')) };
const UA = 'trolley-test/1 (test@example.invalid)';
const HEADERS = { 'User-Agent': UA, Accept: 'text/html,application/xhtml+xml', 'Accept-Language': 'en-AU,en;q=0.9', Cookie: 'session=abc' };

/** The request as crawlee's HttpCrawler hands it to its client (see _getRequestOptions). */
function crawleeRequest(url: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return { url, method: 'GET', timeout: { request: 2000 }, headers: { ...HEADERS }, https: { rejectUnauthorized: false }, responseType: 'text', useHeaderGenerator: false, ...extra } as HttpRequest;
}

function client(t: { teardown(fn: () => unknown): void }): PageHttpClient {
  const c = new PageHttpClient();
  t.teardown(() => c.close());
  return c;
}

async function text(response: StreamingHttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A server that records the raw request head of each request and answers 200 "ok". */
async function rawHeadServer(t: { teardown(fn: () => unknown): void }): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        heads.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 4);
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
      }
    });
  });
  return { port: await listenOnLoopback(t, server), heads };
}

test('an HTTP/1.1 request head is the one got-scraping sends (names, casing, order, values), on a kept-alive connection', async (t) => {
  const { port, heads } = await rawHeadServer(t);
  const url = `http://127.0.0.1:${port}/product/x`;
  await text(await new GotScrapingHttpClient().stream(crawleeRequest(url)));
  const ours = client(t);
  await text(await ours.stream(crawleeRequest(url)));
  await text(await ours.stream(crawleeRequest(url)));
  t.is(heads.length, 3);
  t.deepEqual(heads[1]!.split('\r\n'), heads[0]!.split('\r\n'));
  t.deepEqual(heads[2], heads[1]);
  t.true(heads[1]!.includes(`Accept-Encoding: ${ACCEPT_ENCODING}`), heads[1]);
  t.true(heads[1]!.includes('Connection: keep-alive'), heads[1]);
});

test('keeps connections alive: many requests, few sockets', async (t) => {
  let sockets = 0;
  const server = http.createServer((_req, res) => res.end('ok'));
  server.on('connection', () => sockets++);
  const port = await listenOnLoopback(t, server);
  const c = client(t);
  for (let i = 0; i < 20; i++) t.is(await text(await c.stream(crawleeRequest(`http://127.0.0.1:${port}/${i}`))), 'ok');
  t.is(sockets, 1);
});

test('decompresses gzip, deflate (zlib and raw), br; an empty compressed body is empty', async (t) => {
  const body = '<html>' + 'café '.repeat(5000) + '</html>';
  const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, 'raw-deflate': zlib.deflateRawSync, br: zlib.brotliCompressSync };
  const seen: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers['accept-encoding']);
    const name = req.url!.slice(1);
    if (name === 'empty') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': name === 'raw-deflate' ? 'deflate' : name });
    res.end(encoders[name]!(Buffer.from(body)));
  });
  const port = await listenOnLoopback(t, server);
  const c = client(t);
  for (const name of Object.keys(encoders)) {
    const response = await c.stream(crawleeRequest(`http://127.0.0.1:${port}/${name}`));
    t.is(await text(response), body, name);
    t.is(response.headers['content-encoding'], undefined, name);
  }
  t.is(await text(await c.stream(crawleeRequest(`http://127.0.0.1:${port}/empty`))), '');
  t.deepEqual(new Set(seen), new Set([ACCEPT_ENCODING]));
});

test('redirects: the handler sees each redirect (with its Set-Cookie) and the cookie it adds goes with the next request; another origin gets no cookie', async (t) => {
  const cookies: Record<string, string | undefined> = {};
  const other = http.createServer((req, res) => {
    cookies[`other${req.url}`] = req.headers.cookie;
    res.end('elsewhere');
  });
  const otherPort = await listenOnLoopback(t, other);
  const server = http.createServer((req, res) => {
    cookies[req.url!] = req.headers.cookie;
    if (req.url === '/a') res.writeHead(302, { location: '/b', 'set-cookie': 'visited=1; Path=/' }).end();
    else if (req.url === '/b') res.writeHead(301, { location: `http://localhost:${otherPort}/c` }).end();
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else res.end('?');
  });
  const port = await listenOnLoopback(t, server);
  const c = client(t);
  const redirects: { url: string; status: number; setCookie: string[] | undefined }[] = [];
  const response = await c.stream(crawleeRequest(`http://127.0.0.1:${port}/a`), (redirect, updated) => {
    redirects.push({ url: redirect.url, status: redirect.statusCode, setCookie: redirect.headers['set-cookie'] as string[] | undefined });
    // What crawlee's handler does: the session's cookies for the next address.
    if (redirect.headers['set-cookie']) updated.headers.Cookie = 'session=abc; visited=1';
  });
  t.is(await text(response), 'elsewhere');
  t.is(response.url, `http://localhost:${otherPort}/c`);
  t.deepEqual(
    response.redirectUrls.map((u) => u.href),
    [`http://127.0.0.1:${port}/b`, `http://localhost:${otherPort}/c`],
  );
  t.deepEqual(redirects, [
    { url: `http://127.0.0.1:${port}/a`, status: 302, setCookie: ['visited=1; Path=/'] },
    { url: `http://127.0.0.1:${port}/b`, status: 301, setCookie: undefined },
  ]);
  t.deepEqual(cookies, { '/a': 'session=abc', '/b': 'session=abc; visited=1', 'other/c': undefined });
  await t.throwsAsync(c.stream(crawleeRequest(`http://127.0.0.1:${port}/loop`)), { message: /Redirected more than 10 times/ });
});

test('the timeout covers the whole exchange: no answer, and a body that stalls, both fail with a timeout', async (t) => {
  const server = http.createServer((req, res) => {
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write('<html>');
    }
  });
  const port = await listenOnLoopback(t, server);
  const c = client(t);
  const started = Date.now();
  await t.throwsAsync(c.stream(crawleeRequest(`http://127.0.0.1:${port}/silent`, { timeout: { request: 300 } })), { code: 'ETIMEDOUT' } as never);
  const response = await c.stream(crawleeRequest(`http://127.0.0.1:${port}/stall`, { timeout: { request: 300 } }));
  t.is(response.statusCode, 200);
  await t.throwsAsync(text(response), { code: 'ETIMEDOUT' } as never);
  t.true(Date.now() - started < 2000);
});

/** TLS ClientHello fields that identify a client: offered cipher suites, groups, signature algorithms, ALPN. */
function clientHello(record: Buffer): Record<string, string> {
  let at = 5 + 4 + 2 + 32; // record header, handshake header, version, random
  at += 1 + record[at]!; // session id
  const suites = record.subarray(at + 2, at + 2 + record.readUInt16BE(at)).toString('hex');
  at += 2 + record.readUInt16BE(at);
  at += 1 + record[at]!; // compression methods
  const end = at + 2 + record.readUInt16BE(at);
  at += 2;
  const fields: Record<string, string> = { suites };
  const names: Record<number, string> = { 10: 'groups', 13: 'sigalgs', 16: 'alpn', 43: 'versions' };
  const types: number[] = [];
  while (at < end) {
    const type = record.readUInt16BE(at);
    const length = record.readUInt16BE(at + 2);
    types.push(type);
    if (names[type]) fields[names[type]!] = record.subarray(at + 4, at + 4 + length).toString('hex');
    at += 4 + length;
  }
  fields.extensions = types.filter((type) => type !== 21 /* padding */ && type !== 41 /* pre_shared_key */).join(',');
  return fields;
}

test('https: the TLS ClientHello is the one got-scraping sends for the same user agent', async (t) => {
  const hellos: Buffer[] = [];
  const sniffer = net.createServer((socket) => {
    socket.once('data', (chunk) => {
      hellos.push(chunk);
      socket.destroy();
    });
  });
  const port = await listenOnLoopback(t, sniffer);
  const url = `https://127.0.0.1:${port}/product/x`;
  await t.throwsAsync(new GotScrapingHttpClient().stream(crawleeRequest(url)));
  await t.throwsAsync(client(t).stream(crawleeRequest(url)));
  t.is(hellos.length, 2);
  const [theirs, ours] = hellos.map(clientHello);
  t.deepEqual(ours, theirs);
  t.truthy(ours!.alpn?.includes(Buffer.from('h2').toString('hex')));
});

test('https: HTTP/2 when the server offers it, HTTP/1.1 otherwise; both decompress and keep the connection', async (t) => {
  const body = 'page '.repeat(1000);
  const versions: string[] = [];
  let h2Connections = 0;
  const h2 = http2.createSecureServer({ ...tls, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion);
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'set-cookie': 'a=1' });
    res.end(zlib.gzipSync(body));
  });
  h2.on('secureConnection', () => h2Connections++);
  const h2Port = await listenOnLoopback(t, h2);
  const h1 = https.createServer(tls, (req, res) => {
    versions.push(req.httpVersion);
    res.end(body);
  });
  const h1Port = await listenOnLoopback(t, h1);
  const c = client(t);
  for (let i = 0; i < 5; i++) {
    const response = await c.stream(crawleeRequest(`https://127.0.0.1:${h2Port}/${i}`));
    t.is(await text(response), body);
    t.deepEqual(response.headers['set-cookie'], ['a=1']);
  }
  // Five requests, one HTTP/2 session: at most the ALPN probe of http2-wrapper plus that session.
  t.true(h2Connections <= 2, `${h2Connections} TLS connections`);
  for (let i = 0; i < 2; i++) t.is(await text(await c.stream(crawleeRequest(`https://127.0.0.1:${h1Port}/${i}`))), body);

  t.deepEqual(versions, [...Array(5).fill('2.0'), '1.1', '1.1']);
});
