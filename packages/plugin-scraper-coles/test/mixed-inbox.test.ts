import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { fixtureProduct, scrapeLine, writeScrapeFile } from './fixture-server.js';
import { readLines, scene } from './helpers.js';

const products = (n: number, from: number) => Array.from({ length: n }, (_, i) => fixtureProduct(String(from + i)));
const asCompany = (line: string, company: string) => line.replace('"company": "Coles"', `"company": "${company}"`);

test('a mixed inbox in company sub-folders: the Coles files are enriched, the others skipped with one info line and left untouched', async (t) => {
  const all = products(4, 6_600_000);
  const s = await scene(t, all);
  // The layout of a real data folder: one sub-folder per company; the outbox inside the inbox is not searched.
  const others: string[] = [];
  for (const company of ['Aldi', 'IGA', 'Woolworths']) {
    const dir = path.join(s.inbox, company.toLowerCase());
    fs.mkdirSync(dir);
    const file = path.join(dir, `${company.toLowerCase()}-1-2025-09-28.jsonl`);
    writeScrapeFile(file, all.map((p) => asCompany(scrapeLine(p), company)));
    others.push(file);
  }
  fs.mkdirSync(path.join(s.inbox, 'coles'));
  const nested = path.join(s.inbox, 'coles', 'coles-0585-2025-09-28.jsonl');
  const more = products(2, 6_610_000);
  writeScrapeFile(nested, more.map((p) => scrapeLine(p).replace('"store_id": "0584"', '"store_id": "0585"')));
  // What an earlier run killed during --import may leave in a --state-dir inside the inbox: never read as a scrape.
  const state = path.join(s.inbox, 'state');
  fs.mkdirSync(path.join(state, 'import-x'), { recursive: true });
  writeScrapeFile(path.join(state, 'import-x', 'coles-0584-2025-09-28.jsonl'), [scrapeLine(all[0]!)]);
  const before = others.map((file) => fs.readFileSync(file));
  const outbox = path.join(s.inbox, 'enriched');

  const run = await s.cli.run(['scrape', 'barcodes', '--inbox', s.inbox, '--outbox', outbox, '--state-dir', state, '--delay', '0', '--base-url', s.server.origin, '--no-prefill', '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { files: Array<{ file: string; status: string }>; skipped: Array<{ file: string; company: string }>; totals: { files: number; done: number } };
  t.deepEqual(result.files.map((f) => [path.relative(s.inbox, f.file), f.status]), [
    ['coles-0584-2025-09-28.jsonl', 'done'],
    ['coles/coles-0585-2025-09-28.jsonl', 'done'],
  ]);
  t.deepEqual(result.skipped.map((f) => f.company).sort(), ['aldi', 'iga', 'woolworths']);
  t.like(result.totals, { files: 2, done: 2 });
  const infos = run.stderr.split('\n').filter((line) => line.includes('skipped 3 file(s)'));
  t.is(infos.length, 1, run.stderr);
  t.regex(infos[0]!, /skipped 3 file\(s\) of companies whose barcodes no installed scraper fetches \(aldi 1, iga 1, woolworths 1; barcodes are fetched for coles\); they were left as they are/);
  t.is(s.server.total, 6, 'only the Coles pages were fetched');
  for (const [i, file] of others.entries()) {
    t.deepEqual(fs.readFileSync(file), before[i], `${file} untouched`);
    t.false(fs.existsSync(`${file}.progress`));
  }
  t.is(readLines(path.join(outbox, 'coles-0584-2025-09-28.jsonl')).length, 4);
  t.is(readLines(path.join(outbox, 'coles-0585-2025-09-28.jsonl')).length, 2);

  // Run again: the Coles files are gone (enriched), the outbox inside the inbox is not read, nothing is left to do.
  const again = await s.cli.run(['scrape', 'barcodes', '--inbox', s.inbox, '--outbox', outbox, '--state-dir', state, '--delay', '0', '--base-url', s.server.origin, '--no-prefill']);
  t.is(again.code, ExitCode.ok, again.stderr);
  t.regex(again.stderr, /Nothing to enrich: every scrape file in .* is of a company whose barcodes no installed scraper fetches \(only coles\)\./);
  t.is(s.server.total, 6);
});

test('nothing to do: an empty inbox says where it looked and exits 0; a named file of a company without a barcode scraper exits 3', async (t) => {
  const s = await scene(t, products(1, 6_620_000));
  const empty = path.join(path.dirname(s.inbox), 'empty');
  fs.mkdirSync(empty);
  const run = await s.cli.run(['scrape', 'barcodes', '--inbox', empty, '--outbox', s.outbox, '--json']);
  t.is(run.code, ExitCode.ok, run.stderr);
  const result = JSON.parse(run.stdout) as { files: unknown[]; nothingFound: string };
  t.deepEqual(result.files, []);
  t.regex(result.nothingFound, /^No scrape files \(\.jsonl or \.jsonl\.gz\) were found in .*empty or its sub-folders/);

  const aldi = path.join(s.inbox, 'aldi-1-2025-09-28.jsonl');
  writeScrapeFile(aldi, [asCompany(scrapeLine(products(1, 6_620_100)[0]!), 'Aldi')]);
  const named = await s.cli.run(['scrape', 'barcodes', aldi, '--outbox', s.outbox]);
  t.is(named.code, ExitCode.input, named.stderr);
  t.regex(named.stderr, /No installed scraper can fetch aldi barcodes \(.*aldi-1-2025-09-28\.jsonl\); only coles/);
  t.is(s.server.total, 0);
  t.false(fs.existsSync(`${aldi}.progress`));

  const missing = await s.cli.run(['scrape', 'barcodes', path.join(s.inbox, 'gone.jsonl'), '--outbox', s.outbox]);
  t.is(missing.code, ExitCode.input);
  t.regex(missing.stderr, /gone\.jsonl does not exist; check the path\./);
});
