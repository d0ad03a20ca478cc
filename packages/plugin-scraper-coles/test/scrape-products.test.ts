import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { scrapeScene } from '@trolley/scraper-kit/testing';
import { colesDepartments, colesSite, SESSION_COOKIE } from './listing-fixture.js';

test('Coles wants a browser session: without its cookies the scrape stops with exit 4; with --cookies it completes, paged by noOfResults', async (t) => {
  t.timeout(15 * 60_000);
  // meat-seafood holds the real sample (two products and an ad tile); every other department of the real menu is empty.
  const departments = colesDepartments({ 'meat-seafood': 100, bakery: 48 });
  const s = await scrapeScene(t, 'coles', '0584', colesSite(departments));
  const blocked = await s.cli.run(s.args());
  t.is(blocked.code, ExitCode.blocked, blocked.stderr);
  t.regex(blocked.stderr, /The site blocked the scraper at .*\/api\/graphql \(an Imperva\/Incapsula challenge \(HTTP 403\)\) while listing coles store COL:584; .*--cookies FILE/);
  t.is(s.site.requests.length, 1, 'nothing after the challenge');

  const cookies = path.join(s.outbox, '..', 'cookies.txt');
  fs.writeFileSync(cookies, `Cookie: ${SESSION_COOKIE.name}=${SESSION_COOKIE.value}; visid_incap_2800112=abc\n`);
  const run = await s.cli.run(s.args('--cookies', cookies, '--json'));
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { products: number; file: string; categories: { discovered: number } };
  t.is(result.categories.discovered, 15, 'the real menu: 20 top-level items less 5 promotional groupings');
  t.is(result.products, 148);
  const pages = (token: string) => s.site.requests.filter((r) => r.path === `/browse/${token}`).map((r) => Number(r.query.get('page')));
  t.deepEqual(pages('meat-seafood'), [1, 2, 3], '100 results at 48 a page: noOfResults ends it after page 3');
  t.deepEqual(pages('bakery'), [1]);
  const browse = s.site.requests.find((r) => r.path === '/browse/bakery')!;
  t.is(browse.cookies.fulfillmentStoreId, '0584', 'the store is chosen by its cookie');
  t.is(browse.cookies.visid_incap_2800112, 'abc');

  const bySku = new Map(s.records().map((r) => [r.product.sku, r.product]));
  const pick = (p: Record<string, unknown>) => ({ name: p.name, brand: p.brand, size: p.size, category_path: p.category_path, price_current: p.price_current, price_was: p.price_was, is_on_special: p.is_on_special, per_unit_price_string: p.per_unit_price_string, unit_price: p.unit_price, unit_of_measure: p.unit_of_measure, is_available: p.is_available, sizes: p.sizes });
  t.deepEqual(pick(bySku.get(3942620)!), {
    name: 'Graze Lamb Extra Trim Cutlets', brand: 'Coles', size: 'approx. 300g', category_path: ['Meat & Seafood', 'Lamb', 'Graze Grass-Fed Lamb'],
    price_current: 12, price_was: 14.1, is_on_special: true, per_unit_price_string: '$40.00 per 1kg', unit_price: 40, unit_of_measure: '1kg', is_available: false, sizes: ['300g'],
  });
  t.deepEqual(pick(bySku.get(3477123)!), {
    name: 'Tasmanian Smoked Salmon', brand: 'Tassal', size: '250g', category_path: ['Meat & Seafood', 'Seafood', 'Smoked And Cured Fish'],
    price_current: 21, price_was: null, is_on_special: false, per_unit_price_string: '$84.00 per 1kg', unit_price: 84, unit_of_measure: '1kg', is_available: true, sizes: ['250g'],
  });
  const check = await s.cli.run(['import', '--dry-run', '--json', result.file]);
  t.is(check.code, 0, check.stderr);
  t.like((JSON.parse(check.stdout) as { files: unknown[] }).files[0], { records: 148, rejects: 0 });

  // --store 0584 (the site's number) is written as the registry's COL:584, in the records and the
  // file name; the same store given as COL:584 is the same file, already complete.
  t.deepEqual([...new Set(s.records().map((r) => r.metadata.store_id))], ['COL:584']);
  t.regex(path.basename(result.file), /^coles-coles-store-col-584-col-584-\d{4}-\d{2}-\d{2}\.jsonl\.gz$/);
  const fetched = s.site.requests.length;
  const again = await s.cli.run([...s.args('--cookies', cookies, '--json')].map((a) => (a === '0584' ? 'COL:584' : a)));
  t.is(again.code, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { status: 'already-done', storeId: 'COL:584', file: result.file });
  t.is(s.site.requests.length, fetched, 'nothing fetched again');
  const bad = await s.cli.run([...s.args('--cookies', cookies)].map((a) => (a === '0584' ? 'LQR:584' : a)));
  t.is(bad.code, ExitCode.usage, bad.stderr);
  t.regex(bad.stderr, /--store LQR:584 is not a coles store id; trolley stores list --company coles shows the ids/);
  t.is(s.site.requests.length, fetched, 'nothing fetched for a bad id');
});
