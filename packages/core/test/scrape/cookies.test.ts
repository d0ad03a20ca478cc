import test from 'ava';
import { parseCookies } from '../../src/scrape/cookies.js';
import { isTrolleyError } from '../../src/errors.js';

const now = new Date();
const future = String(Math.round(now.getTime() / 1000) + 86_400);
const past = String(Math.round(now.getTime() / 1000) - 60);

/** A browser's whole jar: the site's cookies among a search engine's and a bank's. */
const jar = [
  '# Netscape HTTP Cookie File',
  ['.coles.com.au', 'TRUE', '/', 'FALSE', future, 'visid', 'site-plain'].join('\t'),
  ['.coles.com.au', 'TRUE', '/', 'TRUE', '0', 'incap', 'site-secure'].join('\t'),
  ['www.coles.com.au', 'FALSE', '/product', 'FALSE', '0', 'pathed', 'product-only'].join('\t'),
  ['.coles.com.au', 'TRUE', '/', 'FALSE', past, 'stale', 'gone'].join('\t'),
  ['.google.com', 'TRUE', '/', 'TRUE', future, 'SID', 'google-secret'].join('\t'),
  ['#HttpOnly_.bank.example.com', 'TRUE', '/', 'TRUE', future, 'session', 'bank-secret'].join('\t'),
].join('\n');

test('a Netscape jar: each cookie goes only to its own domain and path, Secure ones over https only, expired ones never', (t) => {
  const cookies = parseCookies(jar, 'cookies.txt', now);
  t.is(cookies.count, 5);
  t.is(cookies.expired, 1);
  t.deepEqual(cookies.domains, ['bank.example.com', 'coles.com.au', 'google.com', 'www.coles.com.au']);
  // Longer paths first, as browsers order them.
  t.is(cookies.headerFor('https://www.coles.com.au/product/x-123'), 'pathed=product-only; visid=site-plain; incap=site-secure');
  t.is(cookies.headerFor('http://www.coles.com.au/product/x-123'), 'pathed=product-only; visid=site-plain', 'no Secure cookie over plain http');
  t.is(cookies.headerFor('https://www.coles.com.au/catalogue'), 'visid=site-plain; incap=site-secure', 'a cookie of /product stays on /product');
  t.is(cookies.headerFor('https://shop.coles.com.au/product/y'), 'visid=site-plain; incap=site-secure', 'a host-only cookie stays on its host');
  t.is(cookies.headerFor('https://www.google.com/'), 'SID=google-secret');
  t.is(cookies.headerFor('http://127.0.0.1:8080/product/x'), undefined, 'another site gets nothing');
  t.is(cookies.headerFor('https://evilcoles.com.au/product/x'), undefined, 'a look-alike domain gets nothing');
});

test('loopback: host cookies of 127.0.0.1 reach it, its Secure ones only over https', (t) => {
  const text = [
    ['127.0.0.1', 'FALSE', '/', 'FALSE', '0', 'plain', '1'].join('\t'),
    ['127.0.0.1', 'FALSE', '/', 'TRUE', '0', 'secure', '2'].join('\t'),
  ].join('\n');
  const cookies = parseCookies(text, 'c.txt', now);
  t.is(cookies.headerFor('http://127.0.0.1:4000/product/a'), 'plain=1');
  t.is(cookies.headerFor('https://127.0.0.1:4000/product/a'), 'plain=1; secure=2');
});

test('a Cookie: line names no domain: the same header for every page of the run', (t) => {
  const cookies = parseCookies('Cookie: a=1; b=2\n', 'h.txt', now);
  t.is(cookies.count, 2);
  t.is(cookies.headerFor('https://www.coles.com.au/product/x'), 'a=1; b=2');
  t.deepEqual(cookies.domains, []);
});

test('a file of only expired cookies, or of neither form, is one sentence with the fix (exit 3)', (t) => {
  const expired = t.throws(() => parseCookies(['.coles.com.au', 'TRUE', '/', 'FALSE', past, 'x', 'y'].join('\t'), 'old.txt', now));
  t.true(isTrolleyError(expired) && expired.exitCode === 3);
  t.regex(expired!.message, /Every cookie in old\.txt has expired; export fresh cookies/);
  const neither = t.throws(() => parseCookies('hello world\nsecond line', 'x.txt', now));
  t.regex(neither!.message, /neither a Netscape cookie file .* nor a "Cookie: name=value; \.\.\." line/);
});

test('a cookie set on a public suffix (com.au) is refused, not sent to every Australian site', (t) => {
  const error = t.throws(() => parseCookies(['.com.au', 'TRUE', '/', 'FALSE', future, 'wide', 'x'].join('\t'), 'wide.txt', now));
  t.regex(error!.message, /no browser would keep \(wide for \.com\.au\)/);
});

test('a browser session written by scrape session reads back as the same scoped jar: host-only, subdomain, path, Secure, HttpOnly, expiry kept; owner-only file', async (t) => {
  const { writeCookieFile, readCookieFile } = await import('../../src/scrape/cookies.js');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jar-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'sessions', 'coles.cookies.txt');
  const in1h = Math.round(now.getTime() / 1000) + 3600;
  writeCookieFile(file, [
    { name: 'incap_ses_1', value: 'abc=', domain: '.coles.com.au', path: '/', expires: -1, httpOnly: false, secure: false },
    { name: 'visid_incap_1', value: 'v1', domain: 'www.coles.com.au', path: '/', expires: in1h, httpOnly: true, secure: true },
    { name: 'cart', value: 'x', domain: 'www.coles.com.au', path: '/checkout', expires: in1h, httpOnly: false, secure: false },
    { name: 'gone', value: 'y', domain: 'www.coles.com.au', path: '/', expires: Math.round(now.getTime() / 1000) - 10, httpOnly: false, secure: false },
  ], now);
  t.is(fs.statSync(file).mode & 0o777, 0o600);
  t.true(fs.readFileSync(file, 'utf8').includes(`#HttpOnly_www.coles.com.au\tFALSE\t/\tTRUE\t${in1h}\tvisid_incap_1\tv1`));
  const jar = readCookieFile(file, now);
  t.is(jar.count, 3);
  t.is(jar.expired, 1);
  t.is(jar.headerFor('https://www.coles.com.au/browse/bakery'), 'incap_ses_1=abc=; visid_incap_1=v1');
  t.is(jar.headerFor('http://www.coles.com.au/browse/bakery'), 'incap_ses_1=abc=', 'Secure only over https');
  t.is(jar.headerFor('https://shop.coles.com.au/'), 'incap_ses_1=abc=', 'a host-only cookie stays on its host');
  t.is(jar.headerFor('https://www.coles.com.au/checkout/pay'), 'cart=x; incap_ses_1=abc=; visid_incap_1=v1');
  t.is(jar.headerFor('https://www.woolworths.com.au/'), undefined);
});
