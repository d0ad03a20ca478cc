import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { crawlSite, type SiteCrawlOptions, type SiteRequest } from '../src/site-crawler.js';
import { closedPort, listenOnLoopback } from '../src/testing/fixture-site.js';

function options(t: { teardown(fn: () => unknown): void }, extra: Partial<SiteCrawlOptions> & Pick<SiteCrawlOptions, 'start'>): SiteCrawlOptions {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-site-crawler-'));
  t.teardown(() => fs.rmSync(storageDir, { recursive: true, force: true }));
  return {
    site: 'test',
    delayMs: 0,
    jitterMs: 0,
    maxRetries: 2,
    retryBackoffMs: 10,
    requestTimeoutMs: 2_000,
    userAgent: 'trolley-test/1',
    storageDir,
    logger: pino({ level: 'silent' }),
    onResponse: () => [],
    onFailure: () => [],
    ...extra,
  };
}

test('a redirect keeps the crawl\'s own cookies (the site\'s store cookie and a browser session\'s) beside the one the redirect set', async (t) => {
  const seen: Record<string, string | undefined> = {};
  const port = await listenOnLoopback(
    t,
    http.createServer((req, res) => {
      seen[req.url!] = req.headers.cookie;
      if (req.url === '/start') res.writeHead(302, { location: '/next', 'set-cookie': 'visited=1; Path=/' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }),
  );
  const texts: string[] = [];
  await crawlSite(
    options(t, {
      siteCookies: 'fulfillmentStoreId=0584',
      cookiesFor: (url) => (new URL(url).hostname === '127.0.0.1' ? 'bm_sv=browser' : undefined),
      start: [{ url: `http://127.0.0.1:${port}/start`, label: 'page' } satisfies SiteRequest],
      onResponse: (response) => {
        texts.push(`${response.status} ${response.text}`);
        return [];
      },
    }),
  );
  t.deepEqual(texts, ['200 {}']);
  const cookies = (header: string | undefined) => new Set((header ?? '').split(/;\s*/).filter(Boolean));
  t.deepEqual(cookies(seen['/start']), new Set(['bm_sv=browser', 'fulfillmentStoreId=0584']));
  // Before: crawlee's redirect handler sent the session's cookie alone (visited=1).
  t.deepEqual(cookies(seen['/next']), new Set(['visited=1', 'bm_sv=browser', 'fulfillmentStoreId=0584']));
});

test('a host that refuses connections is given up after --max-retries, not after session rotations', async (t) => {
  const port = await closedPort();
  const failures: string[] = [];
  const retries: number[] = [];
  const messages: string[] = [];
  const logger = pino({ level: 'info' }, {
    write: (line: string) => {
      const event = JSON.parse(line) as { retry?: number; msg: string };
      if (event.retry !== undefined) retries.push(event.retry);
      messages.push(event.msg);
    },
  });
  await crawlSite(
    options(t, {
      logger,
      start: [{ url: `http://127.0.0.1:${port}/categories`, label: 'categories' }],
      onFailure: (request, reason) => {
        failures.push(`${request.label}: ${reason}`);
        return [];
      },
    }),
  );
  t.is(failures.length, 1);
  t.regex(failures[0]!, /^categories: .*ECONNREFUSED/);
  // crawlee read ECONNREFUSED as a bad proxy and rotated the session ten times, the back-off
  // doubling each time (about 27 minutes at the default 2 s); now: the two retries asked for.
  t.deepEqual(retries, [1, 2]);
  // One line per event at info: crawlee's own retry notices are left to debug, its stack traces too.
  t.deepEqual(messages.filter((m) => m.includes('\n')), []);
  t.deepEqual(messages.filter((m) => /Reclaiming failed request/.test(m)), []);
  t.true(messages.some((m) => /^Request failed and reached maximum retries\. Error: connect ECONNREFUSED/.test(m)), messages.join(' | '));
});
