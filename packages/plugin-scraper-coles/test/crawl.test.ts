import test from 'ava';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { cleanBarcode, type BarcodeFetchOptions, type BarcodeOutcome } from '@trolley/core';
import { crawlBarcodes } from '../src/crawl-barcodes.js';
import { ColesFixtureServer, fixtureProduct, gtinFor, recordUrl, wrongCheckDigit, type FixtureProduct } from './fixture-server.js';

// Every connection this process opens (where it meant to go, and where it went), and every name
// lookup, to prove the crawler talks to the fixture only.
const connections: string[] = [];
const attempts: string[] = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number; path?: string } | number | string;
  attempts.push(typeof first === 'object' && first !== null ? (first.path ?? `${first.host ?? 'localhost'}:${first.port}`) : String(first));
  this.once('connect', () => connections.push(`${this.remoteAddress}:${this.remotePort}`));
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;
const lookups: string[] = [];
const lookup = dns.lookup;
(dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
  lookups.push(String(args[0]));
  return (lookup as (...a: unknown[]) => void)(...args);
};

function options(t: { teardown(fn: () => void): void }, outcomes: BarcodeOutcome[], extra: Partial<BarcodeFetchOptions> = {}): BarcodeFetchOptions {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coles-crawl-'));
  t.teardown(() => fs.rmSync(storageDir, { recursive: true, force: true }));
  return {
    delayMs: 0,
    concurrency: 1,
    maxRetries: 2,
    retryBackoffMs: 10,
    requestTimeoutMs: 2000,
    userAgent: 'trolley-test/1 (test@example.invalid)',
    cookiesFor: () => 'session=abc; other=1',
    storageDir,
    logger: pino({ level: 'silent' }),
    checkBarcode: cleanBarcode,
    onOutcome: (o) => void outcomes.push(o),
    ...extra,
  };
}

const items = (server: ColesFixtureServer, products: readonly FixtureProduct[]) => products.map((p) => ({ key: p.sku, url: recordUrl(p, server.origin) }));

test.serial('every page variant gives its outcome; retries, Retry-After and timeouts; only loopback connections; the working directory untouched', async (t) => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'coles-cwd-'));
  const before = process.cwd();
  process.chdir(cwd);
  t.teardown(() => {
    process.chdir(before);
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  const products = [
    fixtureProduct('2000001', 'next-data'),
    fixtureProduct('2000002', 'json-ld'),
    fixtureProduct('2000003', 'data-route'),
    fixtureProduct('2000004', 'no-barcode'),
    fixtureProduct('2000005', 'bad-check'),
    fixtureProduct('2000006', 'not-found'),
    fixtureProduct('2000007', 'server-error'),
    fixtureProduct('2000008', 'flaky'),
    fixtureProduct('2000009', 'rate-limited'),
    fixtureProduct('2000010', 'slow'),
  ];
  const server = await new ColesFixtureServer(products, { flakyFailures: 2, retryAfterSeconds: 1, slowMs: 5000, clientTimeoutMs: 1000 }).start();
  t.teardown(() => server.close());
  const outcomes: BarcodeOutcome[] = [];
  const opts = options(t, outcomes, { requestTimeoutMs: 1000, maxRetries: 2 });
  connections.length = 0;
  attempts.length = 0;
  lookups.length = 0;
  const summary = await crawlBarcodes(items(server, products), opts);

  const by = new Map(outcomes.map((o) => [o.key, o]));
  t.is(outcomes.length, products.length, 'one outcome per item');
  t.like(by.get('2000001'), { status: 'found', barcode: gtinFor('2000001'), via: 'next-data' });
  t.like(by.get('2000002'), { status: 'found', barcode: gtinFor('2000002'), via: 'json-ld' });
  t.like(by.get('2000003'), { status: 'found', barcode: gtinFor('2000003'), via: 'next-data-route' });
  t.like(by.get('2000004'), { status: 'none', reason: 'no-barcode' });
  t.like(by.get('2000005'), { status: 'none', reason: 'bad-check-digit', rejected: wrongCheckDigit(gtinFor('2000005')) });
  t.like(by.get('2000006'), { status: 'none' });
  t.like(by.get('2000007'), { status: 'failed' });
  t.like(by.get('2000008'), { status: 'found', barcode: gtinFor('2000008') });
  t.like(by.get('2000009'), { status: 'found', barcode: gtinFor('2000009') });
  t.like(by.get('2000010'), { status: 'failed' });
  t.is(summary.blocked, undefined);

  const path7 = `/product/${products[6]!.slug}`;
  t.is(server.count(path7), 3, 'a 500 is tried 1 + max-retries times');
  t.is(server.count(`/product/${products[7]!.slug}`), 3, 'a flaky page succeeds on the third try');
  const limited = server.hits.filter((h) => h.path === `/product/${products[8]!.slug}`);
  t.is(limited.length, 2);
  t.true(limited[1]!.arrivedAt - limited[0]!.arrivedAt >= 1000, `Retry-After 1 s honoured (${limited[1]!.arrivedAt - limited[0]!.arrivedAt} ms)`);
  t.true(server.hits.every((h) => h.userAgent === 'trolley-test/1 (test@example.invalid)'), 'the given user agent on every request');
  t.true(server.hits.every((h) => (h.cookie ?? '').includes('session=abc')), 'the given cookies on every request');
  t.is(server.maxInFlight, 1, 'one request at a time');
  t.like(summary.statistics, { requestsFinished: 8, requestsFailed: 2 });

  const port = new URL(server.origin).port;
  t.true(connections.length > 0);
  t.deepEqual([...new Set(connections)], [`127.0.0.1:${port}`], `connections: ${connections.join(', ')}`);
  t.deepEqual([...new Set(attempts)], [`127.0.0.1:${port}`], `attempts: ${attempts.join(', ')}`);
  t.deepEqual(lookups.filter((h) => h !== '127.0.0.1'), [], 'no name lookups');
  t.deepEqual(fs.readdirSync(cwd), [], 'nothing written to the working directory');
});

test.serial('an Imperva challenge after N requests stops the crawl at once; the blocked page is not reported', async (t) => {
  const products = Array.from({ length: 20 }, (_, i) => fixtureProduct(String(3000000 + i)));
  const server = await new ColesFixtureServer(products, { blockAfter: 5, blockStatus: 200 }).start();
  t.teardown(() => server.close());
  const outcomes: BarcodeOutcome[] = [];
  const summary = await crawlBarcodes(items(server, products), options(t, outcomes));
  t.is(outcomes.length, 5);
  t.true(outcomes.every((o) => o.status === 'found'));
  t.is(server.total, 6, 'the challenge was requested once, nothing after it');
  t.like(summary.blocked, { url: recordUrl(products[5]!, server.origin), reason: 'an Imperva/Incapsula challenge page' });
});

test.serial('a Retry-After beyond ten minutes stops the run as blocked instead of waiting', async (t) => {
  const products = [fixtureProduct('4000001', 'rate-limited'), fixtureProduct('4000002')];
  const server = await new ColesFixtureServer(products, { retryAfterSeconds: 3600 }).start();
  t.teardown(() => server.close());
  const outcomes: BarcodeOutcome[] = [];
  const summary = await crawlBarcodes(items(server, products), options(t, outcomes));
  t.deepEqual(outcomes, []);
  t.regex(summary.blocked?.reason ?? '', /Retry-After 3600s/);
  t.is(server.total, 1);
});

test.serial('concurrency: at most N requests in flight, all pages fetched once', async (t) => {
  const products = Array.from({ length: 60 }, (_, i) => fixtureProduct(String(5000000 + i), i % 2 ? 'slow' : 'next-data'));
  const server = await new ColesFixtureServer(products, { slowMs: 50 }).start();
  t.teardown(() => server.close());
  const outcomes: BarcodeOutcome[] = [];
  await crawlBarcodes(items(server, products), options(t, outcomes, { concurrency: 4 }));
  t.is(outcomes.filter((o) => o.status === 'found').length, 60);
  t.true(server.maxInFlight <= 4 && server.maxInFlight >= 2, `max in flight ${server.maxInFlight}`);
  t.true([...server.paths.values()].every((n) => n === 1));
});
