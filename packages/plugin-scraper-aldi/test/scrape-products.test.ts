import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExitCode } from '@trolley/core';
import { closedPort, INCAPSULA_PAGE, readRecords, refetches, scrapeScene } from '@trolley/scraper-kit/testing';
import { aldiCatalogue, aldiSite, isPage, REAL } from './aldi-fixture.js';

type Result = {
  status: string;
  file: string;
  written: boolean;
  products: number;
  duplicates: number;
  pages: number;
  message?: string;
  categories: { discovered: number; wanted: number; resumed: number; done: number; failed: Array<{ key: string; reason: string }>; missing: string[] };
};

test('a store is listed whole: categories discovered from the tree, each paged to the 400 past its end, duplicates written once; the file imports with no invalid line', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  // 61 = two full pages and one; 60 = exactly two full pages, so the 400 comes right after a full page.
  const catalogue = aldiCatalogue([61, 60, 5, 30], 4);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(catalogue));
  const run = await s.cli.run(s.args('--json'));
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  t.is(result.status, 'done');
  t.is(result.categories.discovered, 4);
  t.is(result.categories.done, 4);
  const unique = 61 + 60 + 5 + 30;
  t.is(result.products, unique);
  t.is(result.duplicates, 4);
  t.regex(path.basename(result.file), /^aldi-aldi-store-g147-g147-\d{4}-\d{2}-\d{2}\.jsonl\.gz$/);
  const records = s.records();
  t.is(records.length, unique);
  t.is(new Set(records.map((r) => r.product.sku)).size, unique);
  t.is(records[0]!.metadata.company, 'aldi');
  t.is(records[0]!.metadata.store_id, 'G147');
  t.is(records[0]!.metadata.partial, undefined);
  // Pages asked for: each category to the page that answered 400 (or the empty first page past 0).
  const pagesOf = (key: string) => s.site.requests.filter(isPage(key)).map((r) => Number(r.query.get('offset')));
  t.deepEqual(pagesOf(catalogue[0]!.key), [0, 30, 60, 90]);
  t.deepEqual(pagesOf(catalogue[1]!.key), [0, 30, 60]);
  t.deepEqual(pagesOf(catalogue[2]!.key), [0, 30]);
  t.is(s.site.requests[0]!.path, '/v2/product-category-tree');
  t.is(s.site.requests[0]!.query.get('servicePoint'), 'G147');
  t.regex(String(s.site.requests[1]!.headers['user-agent']), /^trolley\/.*contact/);

  const check = await s.cli.run(['import', '--dry-run', '--json', result.file]);
  t.is(check.code, 0, check.stderr);
  const report = JSON.parse(check.stdout) as { files: Array<{ mode: string; records: number; rejects: number }> };
  t.is(report.files[0]!.mode, 'full');
  t.is(report.files[0]!.records, unique);
  t.is(report.files[0]!.rejects, 0);
});

test('the real sample products are cleaned to these values (cents to dollars, unit prices per kg through the core)', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(aldiCatalogue([3])));
  const run = await s.cli.run(s.args());
  t.is(run.code, 0, run.stderr);
  const bySku = new Map(s.records().map((r) => [r.product.sku, r.product]));
  t.is(REAL.length, 3);
  const pick = (sku: string) => {
    const p = bySku.get(sku)!;
    return {
      name: p.name, brand: p.brand, barcode: p.barcode, size: p.size, url: p.url, category_path: p.category_path,
      price_current: p.price_current, price_was: p.price_was, is_on_special: p.is_on_special,
      per_unit_price_string: p.per_unit_price_string, per_unit_price_value: p.per_unit_price_value,
      unit_price: p.unit_price, unit_of_measure: p.unit_of_measure, is_available: p.is_available, sizes: p.sizes,
    };
  };
  t.deepEqual(pick('000000000000200998'), {
    name: 'Chocolate Chip Brioche Milk Rolls 8 Pack 280g', brand: 'BON APPETIT', barcode: null, size: '280 g',
    url: 'https://www.aldi.com.au/product/bon-appetit-chocolate-chip-brioche-milk-rolls-8-pack-280g-000000000000200998',
    category_path: ['Bakery', 'Speciality Breads & Rolls'],
    price_current: 4.69, price_was: null, is_on_special: false,
    per_unit_price_string: '$1.68 per 100 g', per_unit_price_value: 1.68, unit_price: 16.8, unit_of_measure: '1kg', is_available: false,
    sizes: ['280g', '8pk'],
  });
  t.deepEqual(pick('000000000000286123'), {
    name: 'Goat Cheese Original 110g', brand: 'EMPORIUM SELECTION', barcode: null, size: '0.11 kg',
    url: 'https://www.aldi.com.au/product/emporium-selection-goat-cheese-original-110g-000000000000286123',
    category_path: ['Dairy, Eggs & Fridge', 'Cheese'],
    price_current: 3.79, price_was: null, is_on_special: false,
    per_unit_price_string: '$34.45 per 1 kg', per_unit_price_value: 34.45, unit_price: 34.45, unit_of_measure: '1kg', is_available: false,
    sizes: ['110g'],
  });
  t.deepEqual(pick('000000000000364955'), {
    name: 'Marinara Mix 800g', brand: 'OCEAN ROYALE', barcode: null, size: '0.8 kg',
    url: 'https://www.aldi.com.au/product/ocean-royale-marinara-mix-800g-000000000000364955',
    category_path: ['Freezer', 'Frozen Meat & Seafood'],
    price_current: 12.49, price_was: null, is_on_special: false,
    per_unit_price_string: '$15.61 per 1 kg', per_unit_price_value: 15.61, unit_price: 15.61, unit_of_measure: '1kg', is_available: false,
    sizes: ['800g'],
  });
});

test('429 with Retry-After is waited out, 5xx and a slow response are retried: the file is still complete', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = aldiCatalogue([45, 20]);
  const site = aldiSite(catalogue);
  site.fault(isPage(catalogue[0]!.key, 30), { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } });
  site.fault(isPage(catalogue[1]!.key, 0), { status: 503, body: '<html>busy</html>' }, 2);
  site.fault(isPage(catalogue[1]!.key, 30), { body: { data: [] }, delayMs: 6000 });
  const s = await scrapeScene(t, 'aldi', 'G147', site);
  // Timeouts generous enough for a loaded machine: only the 6 s page is slow.
  const run = await s.cli.run(s.args('--timeout', '3s', '--max-retries', '5', '--json'));
  t.is(run.code, 0, run.stderr);
  t.is((JSON.parse(run.stdout) as Result).products, 65);
  const tries = site.requests.filter(isPage(catalogue[0]!.key, 30));
  t.is(tries.length, 2);
  t.true(tries[1]!.at - tries[0]!.at >= 1000, `Retry-After honoured (${tries[1]!.at - tries[0]!.at} ms)`);
  t.is(site.requests.filter(isPage(catalogue[1]!.key, 0)).length, 3, '503 twice, then data');
  t.is(site.requests.filter(isPage(catalogue[1]!.key, 30)).length, 2, 'the slow page timed out and was asked again');
});

test('a block page stops the run with exit 4 and a partial file; the rerun fetches only the categories not done', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = aldiCatalogue([35, 20, 10]);
  const site = aldiSite(catalogue);
  // The tree lists Pantry's aisles (0, 2) before Freezer's (1).
  site.fault(isPage(catalogue[2]!.key, 0), { status: 403, body: INCAPSULA_PAGE }, 1);
  const s = await scrapeScene(t, 'aldi', 'G147', site);
  const blocked = await s.cli.run(s.args());
  t.is(blocked.code, ExitCode.blocked, blocked.stderr);
  t.regex(blocked.stderr, /trolley: The site blocked the scraper at .* \(an Imperva\/Incapsula challenge \(HTTP 403\)\) while listing aldi store G147; 1 of 3 categories .*--cookies FILE/);
  const partial = s.records();
  t.is(partial.length, 35);
  t.is(partial[0]!.metadata.partial, true);
  t.deepEqual(partial[0]!.metadata.failed_categories, ['Aisle 2', 'Aisle 1']);
  const before = site.requests.length;
  t.is(site.requests.filter(isPage(catalogue[1]!.key)).length, 0, 'nothing after the block');

  const rerun = await s.cli.run(s.args('--json'));
  t.is(rerun.code, 0, rerun.stderr);
  const result = JSON.parse(rerun.stdout) as Result;
  t.is(result.categories.resumed, 1);
  t.is(result.products, 65);
  t.is(site.requests.slice(before).filter(isPage(catalogue[0]!.key)).length, 0, 'the finished category is not fetched again');
  const complete = s.records();
  t.is(complete.length, 65);
  t.is(complete[0]!.metadata.partial, undefined);
  t.false(fs.existsSync(`${result.file}.progress`), 'state removed once complete');

  const again = await s.cli.run(s.args('--json'));
  t.is(again.code, 0);
  t.is((JSON.parse(again.stdout) as Result).status, 'already-done');
});

test('a category that keeps failing, or a malformed page, is named with store, category and page; the file is partial, exit 6; the import only upserts it', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = aldiCatalogue([31, 12, 8]);
  const site = aldiSite(catalogue);
  site.fault(isPage(catalogue[0]!.key, 30), { status: 500, body: 'boom' }, 10);
  site.fault(isPage(catalogue[2]!.key, 0), { body: '{"data": [{"sku": ' }, 1);
  const s = await scrapeScene(t, 'aldi', 'G147', site);
  const run = await s.cli.run(s.args('--max-retries', '2', '--json'));
  t.is(run.code, ExitCode.incomplete, run.stderr);
  const result = JSON.parse(run.stdout) as Result;
  t.is(result.status, 'partial');
  t.deepEqual(result.categories.failed.map((f) => f.key), [catalogue[0]!.key, catalogue[2]!.key]);
  t.regex(result.categories.failed[0]!.reason, /^aldi store G147, category Aisle 0, page 2: 500/);
  t.regex(result.categories.failed[1]!.reason, /^aldi store G147, category Aisle 2, page 1 \(.*offset=0.*\): the body is not JSON/);
  t.is(site.requests.filter(isPage(catalogue[0]!.key, 30)).length, 3, 'first try and two retries');
  t.is(site.requests.filter(isPage(catalogue[2]!.key, 0)).length, 1, 'a malformed body is not retried');
  const records = s.records();
  t.is(records.length, 30 + 12, 'what was had: the first page of the failed category and the whole second one');
  t.is(records[0]!.metadata.partial, true);
  t.deepEqual(records[0]!.metadata.failed_categories, ['Aisle 0', 'Aisle 2']);

  // The partial file, imported after a complete scrape of the day before, deletes nothing.
  const work = path.dirname(s.outbox);
  const complete = aldiCatalogue([31, 12, 8]).flatMap((c) => c.products);
  const full = path.join(work, 'aldi-g147-2020-01-01.jsonl.gz');
  const line = (p: Record<string, unknown>, date: string) => JSON.stringify({ product: { sku: p.sku, name: p.name, brand: p.brandName, size: p.sellingSize, price_current: 5 }, metadata: { company: 'aldi', store_id: 'G147', store_name: 'aldi store g147', state: 'qld', scraped_date: date } });
  fs.writeFileSync(full, gzipSync(complete.map((p) => line(p, '2020-01-01')).join('\n') + '\n'));
  t.is((await s.cli.run(['import', full])).code, 0);
  const imported = await s.cli.run(['import', '--json', result.file]);
  t.is(imported.code, 0, imported.stderr);
  const report = (JSON.parse(imported.stdout) as { files: Array<{ mode: string; rows: { deleted: number } }> }).files[0]!;
  t.is(report.mode, 'upsert');
  t.is(report.rows.deleted, 0);

  // The same file without the mark, at over 90% of the store's products, would have been a full sync.
  const unmarked = path.join(work, 'aldi-g147-2099-01-01.jsonl.gz');
  const lines = readRecords(result.file).map((r) => JSON.stringify({ ...r, metadata: { ...r.metadata, partial: undefined, scraped_date: '2099-01-01' } }));
  const extra = complete.slice(43, 50).map((p) => line(p, '2099-01-01'));
  fs.writeFileSync(unmarked, gzipSync([...lines, ...extra].join('\n') + '\n'));
  const full2 = await s.cli.run(['import', '--json', '--allow-future-dates', unmarked]); // a date after today's scrape
  const report2 = (JSON.parse(full2.stdout) as { files: Array<{ mode: string; rows: { deleted: number } }> }).files[0]!;
  t.is(report2.mode, 'full');
  t.is(report2.rows.deleted, 2);
});

test('SIGKILL in the middle of a store, then a rerun: the file is complete and at most one category is fetched twice', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = aldiCatalogue([95, 95, 95, 95, 95, 95], 3);
  const site = aldiSite(catalogue);
  const s = await scrapeScene(t, 'aldi', 'G147', site);
  const pagesTotal = 1 + 6 * 5;
  const killAt = 8 + Math.floor(Math.random() * (pagesTotal - 12));
  t.log(`killing at request ${killAt} of ${pagesTotal}`);
  const child = s.cli.spawn(s.args());
  site.onRequest = (_r, n) => {
    if (n === killAt) child.kill('SIGKILL');
  };
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
  t.is(signal, 'SIGKILL');
  site.onRequest = undefined;
  const rerun = await s.cli.run(s.args('--json'));
  t.is(rerun.code, 0, rerun.stderr);
  const result = JSON.parse(rerun.stdout) as Result;
  t.true(result.categories.resumed >= 1, `${result.categories.resumed} categories resumed`);
  const records = s.records();
  t.is(records.length, 6 * 95);
  t.is(new Set(records.map((r) => r.product.sku)).size, 6 * 95);
  const twice = refetches(site);
  t.log(`${twice} request(s) repeated after the kill`);
  // The category list is asked again, and at most the pages of the one category in flight (4 pages and the 400).
  t.true(twice <= 1 + 5, `${twice} repeated`);
});

test('--categories fetches only those (the file is marked partial); --dry-run fetches nothing; an unknown company names the installed scrapers', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const catalogue = aldiCatalogue([5, 6, 7]);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(catalogue));
  const dry = await s.cli.run(s.args('--dry-run', '--json'));
  t.is(dry.code, 0, dry.stderr);
  t.is((JSON.parse(dry.stdout) as Result).status, 'dry-run');
  t.is(s.site.requests.length, 0);
  t.deepEqual(s.files(), []);

  const unknown = await s.cli.run(s.args('--categories', 'no-such-aisle'));
  t.is(unknown.code, ExitCode.input);
  t.regex(unknown.stderr, /lists no category no-such-aisle; give --categories from the site's list/);

  const some = await s.cli.run(s.args('--categories', `${catalogue[1]!.key},aisle 2`, '--json'));
  t.is(some.code, 0, some.stderr);
  const records = s.records();
  t.is(records.length, 13);
  t.is(records[0]!.metadata.partial, true);
  t.is(s.site.requests.filter(isPage(catalogue[0]!.key)).length, 0);

  // The whole store the same day adds the rest to the file.
  const all = await s.cli.run(s.args('--json'));
  t.is(all.code, 0, all.stderr);
  t.is((JSON.parse(all.stdout) as Result).categories.resumed, 2);
  t.is(s.records().length, 18);
  t.is(s.records()[0]!.metadata.partial, undefined);

  const other = await s.cli.run(['scrape', 'products', '--company', 'foodland', '--store', '1']);
  t.is(other.code, ExitCode.input);
  t.regex(other.stderr, /^trolley: No installed scraper can scrape foodland products; the installed scraper plugins are .*aldi \(@trolley\/plugin-scraper-aldi: products, stores\)/m);
});

test('a site that refuses connections: exit 5 after the retries, one sentence naming the address, nothing written', async (t) => {
  t.timeout(5 * 60_000);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(aldiCatalogue([5], 1)));
  const down = `http://127.0.0.1:${await closedPort()}`;
  const run = await s.cli.run(s.args('--max-retries', '2').map((a) => (a === s.site.origin ? down : a)));
  t.is(run.code, ExitCode.unavailable, run.stderr);
  t.regex(run.stderr, new RegExp(`trolley: The category list of aldi store G147 could not be had from ${down}/v2/product-category-tree\\S* \\(connect ECONNREFUSED [^)]*\\) after the retries; nothing was written\\.`));
  t.deepEqual(s.files(), []);
  t.is(s.site.requests.length, 0);
});
