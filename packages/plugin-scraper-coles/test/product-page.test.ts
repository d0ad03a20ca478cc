import test from 'ava';
import { cleanBarcode } from '@trolley/core';
import { readProductPage } from '../src/product-page.js';
import { IMPERVA_CHALLENGE, realProductBody, fixtureProduct, productHtml, wrongCheckDigit, gtinFor } from './fixture-server.js';

const realBody = realProductBody();

test('the real _next/data response: the barcode at pageProps.product.gtin passes the GS1 check', (t) => {
  const reading = readProductPage(200, 'application/json', realBody);
  t.deepEqual(reading, { kind: 'product', candidates: [{ value: '9310631635078', via: 'next-data-route' }] });
  t.deepEqual(cleanBarcode('9310631635078'), { barcode: '9310631635078' });
});

test('a product page: __NEXT_DATA__ props.pageProps.product.gtin, with an injected Imperva script still a product page', (t) => {
  const html = productHtml(fixtureProduct('3984766'));
  t.true(html.includes('_Incapsula_Resource'));
  t.deepEqual(readProductPage(200, 'text/html', html), { kind: 'product', candidates: [{ value: gtinFor('3984766'), via: 'next-data' }] });
});

test('JSON-LD Product gtin13 comes first; a page without a gtin has no candidates', (t) => {
  t.deepEqual(readProductPage(200, 'text/html', productHtml(fixtureProduct('1000001', 'json-ld'))), { kind: 'product', candidates: [{ value: gtinFor('1000001'), via: 'json-ld' }] });
  t.deepEqual(readProductPage(200, 'text/html', productHtml(fixtureProduct('1000002', 'no-barcode'))), { kind: 'product', candidates: [] });
  const ldThenNext = `<script type="application/ld+json">{"@graph":[{"@type":"Product","gtin":"123"}]}</script><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"product":{"gtin":"9310631635078"}}}}</script>`;
  t.deepEqual(readProductPage(200, 'text/html', ldThenNext), {
    kind: 'product',
    candidates: [
      { value: '123', via: 'json-ld' },
      { value: '9310631635078', via: 'next-data' },
    ],
  });
});

test('a wrong check digit is a candidate the GS1 check rejects', (t) => {
  const bad = wrongCheckDigit(gtinFor('1000003'));
  const reading = readProductPage(200, 'text/html', productHtml(fixtureProduct('1000003', 'bad-check')));
  t.deepEqual(reading, { kind: 'product', candidates: [{ value: bad, via: 'next-data' }] });
  t.deepEqual(cleanBarcode(bad), { barcode: null, rejected: bad });
});

test('blocks: an Imperva challenge (200 or 403), any 403, a page without __NEXT_DATA__, data without pageProps', (t) => {
  t.like(readProductPage(200, 'text/html', IMPERVA_CHALLENGE), { kind: 'blocked', reason: 'an Imperva/Incapsula challenge page' });
  t.like(readProductPage(403, 'text/html', IMPERVA_CHALLENGE), { kind: 'blocked', reason: 'an Imperva/Incapsula challenge (HTTP 403)' });
  t.like(readProductPage(403, 'text/html', 'Forbidden'), { kind: 'blocked', reason: 'HTTP 403' });
  t.like(readProductPage(200, 'text/html', '<html><body>maintenance</body></html>'), { kind: 'blocked' });
  t.like(readProductPage(200, 'application/json', '{"message":"hello"}'), { kind: 'blocked' });
  t.like(readProductPage(200, 'application/json', IMPERVA_CHALLENGE), { kind: 'blocked' });
});

test('not found: 404, 410, a Next.js 404 page, notFound data', (t) => {
  t.deepEqual(readProductPage(404, 'text/html', ''), { kind: 'not-found' });
  t.deepEqual(readProductPage(410, 'text/html', ''), { kind: 'not-found' });
  t.deepEqual(readProductPage(200, 'text/html', '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{}},"page":"/404"}</script>'), { kind: 'not-found' });
  t.deepEqual(readProductPage(200, 'application/json', '{"notFound":true}'), { kind: 'not-found' });
  t.like(readProductPage(200, 'text/html', '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"produ'), { kind: 'broken' });
});
