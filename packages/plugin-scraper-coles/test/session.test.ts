/**
 * `trolley scrape session` against a stand-in of Imperva's JavaScript challenge: the 403 page's
 * script computes the session cookie from numbers in the page, sets it and reloads, so only a
 * client that runs the script gets through. Without a session `scrape products` stops with exit 4;
 * after `scrape session` (Debian's Chromium, headless, through playwright-core) the same command
 * completes, and so does `scrape barcodes`, with the saved cookie jar and no --cookies.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { readRecords, scrapeScene } from '@trolley/scraper-kit/testing';
import { colesDepartments, colesSite } from './listing-fixture.js';
import { gtinFor } from './fixture-server.js';

const SESSION = 'incap_ses_1184_2800112';
const chromium = ['/usr/bin/chromium', process.env.TROLLEY_CHROMIUM].find((file) => file !== undefined && fs.existsSync(file));

function challengedSite() {
  const site = colesSite(colesDepartments({ 'meat-seafood': 60, bakery: 10 }));
  site.requireJsChallenge(SESSION);
  return site;
}

test('without a session the scrape is blocked (exit 4); scrape session passes the JavaScript check in Chromium; then scrape products and scrape barcodes complete with the saved jar', async (t) => {
  t.timeout(10 * 60_000);
  t.truthy(chromium, 'Debian\'s chromium is installed on the test machine');
  const s = await scrapeScene(t, 'coles', '0584', challengedSite());
  const env = { TROLLEY_CHROMIUM: chromium! };

  const blocked = await s.cli.run(s.args());
  t.is(blocked.code, ExitCode.blocked, blocked.stderr);
  t.regex(blocked.stderr, /Imperva\/Incapsula challenge \(HTTP 403\).*trolley scrape session --company coles/);
  t.is(s.site.requests.length, 1, 'nothing after the challenge');

  const session = await s.cli.run(['scrape', 'session', '--company', 'coles', '--base-url', s.site.origin, '--timeout', '60s', '--json'], { env });
  t.is(session.code, 0, session.stderr);
  const result = JSON.parse(session.stdout) as { out: string; cookies: number; url: string; saved: Array<{ name: string; domain: string }> };
  const jar = path.join(s.cli.home, 'sessions', 'coles.cookies.txt');
  t.is(result.out, jar);
  t.is(result.url, `${s.site.origin}/`);
  t.deepEqual(result.saved.map((c) => c.name).sort(), [SESSION, 'visid_incap_2800112']);
  t.false(session.stdout.includes(s.site.requireCookie!.value), 'cookie values stay out of the output');
  t.is(fs.statSync(jar).mode & 0o777, 0o600, 'the jar is readable by its owner only');
  const lines = fs.readFileSync(jar, 'utf8').split('\n');
  t.true(lines.includes(['127.0.0.1', 'FALSE', '/', 'FALSE', '0', SESSION, s.site.requireCookie!.value].join('\t')), 'the script-set cookie, host-only, as a session cookie');
  t.true(lines.some((line) => line.startsWith('#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t') && line.includes('\tvisid_incap_2800112\t')), 'the HttpOnly visitor cookie with its expiry');
  const home = s.site.requests.filter((r) => r.path === '/');
  t.is(home[0]!.cookies[SESSION], undefined, 'the first load had no session');
  t.is(home.at(-1)!.cookies[SESSION], s.site.requireCookie!.value, 'the reload carried the cookie the script set');
  t.regex(String(home[0]!.headers['user-agent']), /^trolley\/0\.1 /, "the browser presents the scrapes' user agent");

  const before = s.site.requests.length;
  const run = await s.cli.run(s.args('--state', 'NSW', '--json'));
  t.is(run.code, 0, run.stderr);
  const scraped = JSON.parse(run.stdout) as { products: number; file: string };
  t.is(scraped.products, 70);
  const pages = s.site.requests.slice(before);
  t.true(pages.every((r) => r.cookies[SESSION] === s.site.requireCookie!.value && r.cookies.visid_incap_2800112 !== undefined), 'every request carried the session');
  t.true(pages.filter((r) => r.path.startsWith('/browse/')).every((r) => r.cookies.fulfillmentStoreId === '0584'), 'and the store cookie');

  const enriched = path.join(path.dirname(s.outbox), 'enriched');
  const barcodes = await s.cli.run(['scrape', 'barcodes', scraped.file, '--outbox', enriched, '--no-prefill', '--delay', '0', '--base-url', s.site.origin, '--json']);
  t.is(barcodes.code, 0, barcodes.stderr + barcodes.stdout.slice(0, 2000));
  const enrichment = JSON.parse(barcodes.stdout) as { totals: { found: number; failed: number }; files: Array<{ output: string }> };
  t.like(enrichment.totals, { found: 70, failed: 0 });
  const product = s.site.requests.filter((r) => r.path.startsWith('/product/'));
  t.is(product.length, 70);
  t.true(product.every((r) => r.cookies[SESSION] === s.site.requireCookie!.value), 'product pages carried the session too');
  const salmon = readRecords(enrichment.files[0]!.output).find((r) => r.product.sku === 3477123);
  t.is(salmon?.product.barcode, gtinFor('3477123'));
});

test('a check that never passes: scrape session exits 4 within its --timeout and writes nothing; a missing browser is one sentence, exit 3', async (t) => {
  t.timeout(5 * 60_000);
  const site = colesSite(colesDepartments({ bakery: 1 }));
  site.requireJsChallenge(SESSION, { passes: false });
  const s = await scrapeScene(t, 'coles', '0584', site);
  const failed = await s.cli.run(['scrape', 'session', '--company', 'coles', '--base-url', s.site.origin, '--timeout', '10s'], { env: { TROLLEY_CHROMIUM: chromium! } });
  t.is(failed.code, ExitCode.blocked, failed.stderr);
  t.regex(failed.stderr, /The coles site's bot check did not pass in the browser at .* \(after 10 s the page still answered HTTP 403 \("Request unsuccessful\. Incapsula incident ID: .*"\)\); nothing was written/);
  t.false(fs.existsSync(path.join(s.cli.home, 'sessions', 'coles.cookies.txt')));
  t.true(s.site.requests.filter((r) => r.path === '/').length >= 2, 'the page reloaded as its script said');

  const missing = await s.cli.run(['scrape', 'session', '--company', 'coles', '--browser', '/nonexistent/chromium']);
  t.is(missing.code, ExitCode.input, missing.stderr);
  t.regex(missing.stderr, /No browser at \/nonexistent\/chromium: name the Chromium or Chrome executable with --browser .*trolley does not download one\.\n$/);
  const wrongCompany = await s.cli.run(['scrape', 'session', '--company', 'aldi']);
  t.is(wrongCompany.code, ExitCode.input);
  t.regex(wrongCompany.stderr, /No installed scraper can scrape aldi session; the installed scraper plugins are .*coles \(@trolley\/plugin-scraper-coles: barcodes, products, stores, session\)/);
});
