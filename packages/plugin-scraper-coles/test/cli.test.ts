import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { fixtureProduct, gtinFor, recordUrl, scrapeLine, writeScrapeFile, type FixtureProduct, type Variant } from './fixture-server.js';
import { readLines, refetches, sandboxDatabase, scene } from './helpers.js';

const products = (n: number, from: number, variant: (i: number) => Variant = () => 'next-data'): FixtureProduct[] =>
  Array.from({ length: n }, (_, i) => fixtureProduct(String(from + i), variant(i)));

const barcodeOf = (line: string) => (JSON.parse(line) as { product: { barcode: string | null } }).product.barcode;
const skuOf = (line: string) => String((JSON.parse(line) as { product: { sku: number } }).product.sku);

test('resume: killed (SIGKILL) at a random point of a 500-product run, the rerun finishes with every record once, no finished page fetched again, prefilled ones never', async (t) => {
  const all = products(500, 6_000_000, (i) => (i % 13 === 5 ? 'data-route' : i % 11 === 3 ? 'no-barcode' : i % 7 === 1 ? 'json-ld' : 'next-data'));
  const prefilled = all.filter((_, i) => i % 10 === 0 && all[i]!.gtin !== null);
  const s = await scene(t, all, { name: 'coles-0584-2025-09-28.jsonl.gz' });
  // The database knows some of these products, with barcodes, from an earlier import.
  const known = path.join(path.dirname(s.inbox), 'known-2025-09-27.jsonl');
  writeScrapeFile(known, prefilled.map((p) => scrapeLine(p, { barcode: p.gtin, date: '2025-09-27' })));
  const imported = await s.cli.run(['import', known]);
  t.is(imported.code, 0, imported.stderr);

  const fetchable = all.length - prefilled.length;
  const killAt = 20 + Math.floor(Math.random() * (fetchable - 60));
  t.log(`killing the scraper at request ${killAt} of ${fetchable}`);
  const child = s.cli.spawn(s.args());
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  s.server.options.onRequest = (_hit, count) => {
    if (count === killAt) child.kill('SIGKILL');
  };
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  t.is(signal, 'SIGKILL', stderr);
  s.server.options.onRequest = undefined;
  const progress = `${s.source}.progress`;
  t.true(fs.existsSync(s.source) && fs.existsSync(progress), 'source and progress kept');
  const before = fs.readFileSync(progress, 'utf8').split('\n').filter(Boolean).length;
  // A kill in the middle of a write leaves half a line: the rerun must cope with it.
  fs.appendFileSync(progress, '{"sku": "6000');
  const requestsBefore = s.server.total;

  const rerun = await s.cli.run(s.args('--json'));
  t.is(rerun.code, 0, rerun.stderr);
  const result = JSON.parse(rerun.stdout) as { files: Array<{ status: string; counts: Record<string, number> }> };
  t.is(result.files[0]!.status, 'done');
  t.true(result.files[0]!.counts.resumed! >= before - 1);

  const output = readLines(path.join(s.outbox, path.basename(s.source)));
  t.is(output.length, 500);
  t.deepEqual(output.map(skuOf), all.map((p) => p.sku), 'every record exactly once, in the input order');
  for (const [i, p] of all.entries()) t.is(barcodeOf(output[i]!), p.gtin === null ? null : gtinFor(p.sku), p.sku);
  for (const p of prefilled) t.is(s.server.count(new URL(recordUrl(p, s.server.origin)).pathname), 0, `prefilled ${p.sku} never fetched`);
  const extra = refetches(s.server);
  t.log(`${requestsBefore} requests before the kill, ${s.server.total - requestsBefore} after; ${extra} page(s) fetched twice (${((extra / fetchable) * 100).toFixed(2)}%)`);
  t.true(extra <= fetchable * 0.01, `${extra} re-fetched`);
  t.is(s.server.total, fetchable + extra);
  t.false(fs.existsSync(s.source), 'source removed');
  t.false(fs.existsSync(progress), 'progress removed');
});

test('blocked mid-run: exit 4 with how to resume, progress and source kept; the rerun with browser cookies finishes the rest', async (t) => {
  const all = products(30, 6_100_000);
  const s = await scene(t, all, { server: { blockAfter: 10, passCookie: 'incap_ses_123=granted' } });
  const blocked = await s.cli.run(s.args('--no-prefill'));
  t.is(blocked.code, ExitCode.blocked, blocked.stderr);
  const sentence = blocked.stderr.split('\n').find((line) => line.startsWith('trolley: '));
  t.regex(sentence ?? '', /blocked the scraper at .* \(HTTP 403.*\); 10 of 30 product\(s\) are finished and kept in .*\.progress\. To resume: .*--cookies FILE/);
  t.true(fs.existsSync(s.source));
  t.is(fs.readFileSync(`${s.source}.progress`, 'utf8').trim().split('\n').length, 10);
  t.false(fs.existsSync(path.join(s.outbox, path.basename(s.source))));
  t.is(s.server.total, 11, 'nothing was requested after the block');

  const again = await s.cli.run(s.args('--no-prefill', '--json'));
  t.is(again.code, ExitCode.blocked, 'still blocked without cookies');
  const json = JSON.parse(again.stdout) as { blocked: { resume: string; reason: string }; totals: { blocked: number } };
  t.regex(json.blocked.resume, /--cookies/);
  t.is(json.totals.blocked, 1);

  const cookies = path.join(path.dirname(s.inbox), 'cookies.txt');
  // The fixture is the site here: its cookies are 127.0.0.1's (a browser's cookies of the real site would not go to a mirror).
  fs.writeFileSync(cookies, '# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tincap_ses_123\tgranted\n127.0.0.1\tFALSE\t/\tFALSE\t0\tvisid_incap\txyz\n');
  const resumed = await s.cli.run(s.args('--no-prefill', '--cookies', cookies));
  t.is(resumed.code, 0, resumed.stderr);
  const output = readLines(path.join(s.outbox, path.basename(s.source)));
  t.deepEqual(output.map(skuOf), all.map((p) => p.sku));
  t.true(output.every((line, i) => barcodeOf(line) === all[i]!.gtin));
  const pages = [...s.server.paths.values()];
  t.is(pages.length, 30);
  t.is(pages.filter((n) => n > 1).length, 1, 'only the blocked page was asked for again');
});

test('--cookies with a browser\'s whole jar (three domains): only the site\'s own cookies reach it, its Secure one not over plain http', async (t) => {
  const all = products(6, 6_150_000);
  const s = await scene(t, all);
  const cookies = path.join(path.dirname(s.inbox), 'jar.txt');
  const line = (...fields: string[]) => fields.join('\t');
  fs.writeFileSync(
    cookies,
    [
      '# Netscape HTTP Cookie File',
      line('127.0.0.1', 'FALSE', '/', 'FALSE', '0', 'site_session', 'ok'),
      line('127.0.0.1', 'FALSE', '/', 'TRUE', '0', 'site_secure', 'https-only'),
      line('127.0.0.1', 'FALSE', '/account', 'FALSE', '0', 'site_account', 'other-path'),
      line('.google.com', 'TRUE', '/', 'TRUE', '2000000000', 'SID', 'google-secret'),
      line('#HttpOnly_.bank.example.com', 'TRUE', '/', 'FALSE', '2000000000', 'session', 'bank-secret'),
      '',
    ].join('\n'),
  );
  const run = await s.cli.run(s.args('--no-prefill', '--cookies', cookies));
  t.is(run.code, 0, run.stderr);
  t.is(s.server.total, 6);
  t.true(s.server.hits.every((hit) => hit.cookie === 'site_session=ok'), JSON.stringify(s.server.hits.map((hit) => hit.cookie)));
});

test('a wrong --base-url that answers 404 everywhere: the run stops after the first pages, exit 5, nothing recorded, written or removed', async (t) => {
  const all = products(30, 6_160_000);
  const s = await scene(t, all);
  const original = fs.readFileSync(s.source);
  const args = s.args('--no-prefill');
  args[args.indexOf('--base-url') + 1] = `${s.server.origin}/wrong-prefix`;
  const run = await s.cli.run(args);
  t.is(run.code, ExitCode.unavailable, run.stderr);
  t.regex(run.stderr, /trolley: The first 10 product page\(s\) of coles-0584-2025-09-28\.jsonl all failed \(not-found \(HTTP 404\) \(10\)\), so the run stopped with nothing recorded and nothing removed; check --base-url/);
  t.true(s.server.total >= 10 && s.server.total <= 11, `requests after the stop: ${s.server.total}`);
  t.deepEqual(fs.readFileSync(s.source), original, 'the source file is still there, unchanged');
  t.false(fs.existsSync(path.join(s.outbox, path.basename(s.source))), 'no 0-barcode file in the outbox');
  const progress = `${s.source}.progress`;
  t.true(!fs.existsSync(progress) || fs.readFileSync(progress, 'utf8').trim() === '', 'no page recorded as finished');

  // The right address then finishes the file: nothing of the stopped run is trusted.
  const fixed = await s.cli.run(s.args('--no-prefill'));
  t.is(fixed.code, 0, fixed.stderr);
  const output = readLines(path.join(s.outbox, path.basename(s.source)));
  t.true(output.every((l, i) => barcodeOf(l) === all[i]!.gtin));
  t.false(fs.existsSync(s.source));
});

test('pages that are really gone, held back until the run reaches a product page, are then recorded as without barcode', async (t) => {
  const all = products(12, 6_170_000, (i) => (i < 5 ? 'not-found' : 'next-data'));
  const s = await scene(t, all);
  const run = await s.cli.run(s.args('--no-prefill', '--json'));
  t.is(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as { totals: { found: number; none: number } };
  t.deepEqual([json.totals.found, json.totals.none], [7, 5]);
  const output = readLines(path.join(s.outbox, path.basename(s.source)));
  t.is(output.filter((l) => barcodeOf(l) === null).length, 5);
});

test('a corrupt line: one sentence naming file:line and the fix, exit 3, nothing fetched, nothing written or deleted', async (t) => {
  const all = products(20, 6_200_000);
  const s = await scene(t, all);
  const lines = fs.readFileSync(s.source, 'utf8').split('\n');
  lines[6] = lines[6]!.slice(0, 50);
  fs.writeFileSync(s.source, lines.join('\n'));
  const original = fs.readFileSync(s.source);
  const run = await s.cli.run(s.args('--no-prefill'));
  t.is(run.code, ExitCode.input);
  t.regex(run.stderr, new RegExp(`trolley: .*${path.basename(s.source)}:7 is not JSON .*; fix or remove that line \\(nothing was fetched and no file was changed\\), then run again\\.`));
  t.is(s.server.total, 0);
  t.deepEqual(fs.readFileSync(s.source), original);
  t.false(fs.existsSync(`${s.source}.progress`));
  t.false(fs.existsSync(path.join(s.outbox, path.basename(s.source))));

  // The first line must name the store.
  const noStore = path.join(s.inbox, 'coles-nostore.jsonl');
  fs.writeFileSync(noStore, `${scrapeLine(all[0]!).replace('"store_name": "Coles Fixture Town", ', '')}\n`);
  const second = await s.cli.run(['scrape', 'barcodes', noStore, '--outbox', s.outbox, '--no-prefill', '--base-url', s.server.origin]);
  t.is(second.code, ExitCode.input);
  t.regex(second.stderr, /coles-nostore\.jsonl:1 \(the first line\) has no metadata\.store_name/);
  t.is(s.server.total, 0);
});

test('--dry-run fetches and writes nothing; --json is the typed result; a pipe gets no progress line', async (t) => {
  const all = products(10, 6_300_000);
  const s = await scene(t, all, { lines: (p) => (p.sku.endsWith('1') || p.sku.endsWith('2') ? { barcode: p.gtin } : p.sku.endsWith('3') ? { url: null } : {}) });
  const run = await s.cli.run(['scrape', 'barcodes', '--inbox', s.inbox, '--dry-run', '--json', '--base-url', s.server.origin, '--no-prefill']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { dryRun: boolean; files: Array<{ status: string; counts: Record<string, number> }>; totals: Record<string, number> };
  t.true(result.dryRun);
  t.is(result.files[0]!.status, 'dry-run');
  t.like(result.files[0]!.counts, { records: 10, skipped: 3, toFetch: 7, found: 0 });
  t.is(s.server.total, 0);
  t.deepEqual(fs.readdirSync(s.inbox), [path.basename(s.source)], 'no progress file');
  t.false(fs.existsSync(s.outbox));
  t.false(run.stderr.includes('\r'), 'no progress line in a pipe');

  const real = await s.cli.run(s.args('--no-prefill', '--json'));
  t.is(real.code, 0, real.stderr);
  const done = JSON.parse(real.stdout) as { files: Array<{ status: string; output: string; counts: Record<string, number> }>; totals: Record<string, number> };
  t.like(done.files[0], { status: 'done', output: path.join(s.outbox, path.basename(s.source)) });
  t.like(done.totals, { files: 1, done: 1, found: 7, skipped: 3, failed: 0 });
  t.false(real.stderr.includes('\r'));
});

test('a page that keeps failing: exit 6, file and progress kept; the rerun fetches just that page, then --import lands the barcodes', async (t) => {
  const all = [...products(5, 6_400_000), fixtureProduct('6400099', 'server-error')];
  const s = await scene(t, all);
  const first = await s.cli.run(s.args('--max-retries', '1'));
  t.is(first.code, ExitCode.incomplete, first.stderr);
  t.regex(first.stderr, /1 page\(s\) of .* could not be fetched after the retries; the file and .*\.progress are kept: run the same command again/);
  t.true(fs.existsSync(s.source));
  t.is(fs.readFileSync(`${s.source}.progress`, 'utf8').trim().split('\n').length, 5);
  const broken = all[5]!;
  t.is(s.server.count(`/product/${broken.slug}`), 2);

  s.server.bySlug.set(broken.slug, { ...broken, variant: 'next-data', gtin: gtinFor(broken.sku) });
  const second = await s.cli.run(s.args('--import'));
  t.is(second.code, 0, second.stderr);
  t.true([...s.server.paths.entries()].every(([p, n]) => n === (p.includes(broken.slug) ? 3 : 1)));
  t.false(fs.existsSync(s.source));
  const db = await sandboxDatabase(t, s.cli);
  const knex = await db.knex();
  const rows = (await knex('product_skus as ps').join('products as p', 'p.id', 'ps.product_id').select('ps.sku', 'p.barcode').orderBy('ps.sku')) as Array<{ sku: string; barcode: string }>;
  t.deepEqual(rows, all.map((p) => ({ sku: p.sku, barcode: gtinFor(p.sku) })));
});

test('politeness by default: one request at a time, at least 2 s apart as the server sees them', async (t) => {
  const all = products(3, 6_500_000);
  const s = await scene(t, all);
  const run = await s.cli.run(['scrape', 'barcodes', s.source, '--outbox', s.outbox, '--base-url', s.server.origin, '--no-prefill']);
  t.is(run.code, 0, run.stderr);
  const arrivals = s.server.hits.map((h) => h.arrivedAt);
  const gaps = arrivals.slice(1).map((at, i) => at - (s.server.hits[i]!.finishedAt ?? arrivals[i]!));
  t.log(`gaps between a response and the next request: ${gaps.join(', ')} ms`);
  t.is(arrivals.length, 3);
  t.true(gaps.every((gap) => gap >= 2000));
  t.is(s.server.maxInFlight, 1);
});
