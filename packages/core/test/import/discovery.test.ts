import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { cliSandbox } from '../../src/testing/index.js';
import { ExitCode } from '../../src/errors.js';
import { findScrapeFiles } from '../../src/import/find-scrape-files.js';
import { products, tempDir, writeScrape } from './scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** The layout of a real data folder: a sub-folder per company, plus what trolley and tools leave around. */
function companyFolders(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  for (const sub of ['aldi', 'coles/2025', 'iga', '.cache', 'outbox']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  writeScrape(dir, 'top-2026-01-01.jsonl', products(2, { store_id: 'T1' }));
  writeScrape(path.join(dir, 'aldi'), 'aldi-g1-2026-01-01.jsonl.gz', products(3, { store_id: 'G1' }));
  writeScrape(path.join(dir, 'coles/2025'), 'coles-0584-2026-01-01.jsonl', products(4, { company: 'coles', store_id: '0584' }));
  writeScrape(path.join(dir, 'iga'), 'iga-22-2026-01-01.jsonl', products(5, { company: 'iga', store_id: '22' }));
  writeScrape(path.join(dir, 'iga'), 'iga-22-2026-01-01.rejects.jsonl', ['{"not": "a record"}']);
  writeScrape(path.join(dir, '.cache'), 'hidden-2026-01-01.jsonl', ['{oops']);
  writeScrape(path.join(dir, 'outbox'), 'coles-0584-2026-01-01.jsonl', products(4, { company: 'coles', store_id: '0584' }));
  fs.writeFileSync(path.join(dir, 'aldi', 'notes.txt'), 'not a scrape file');
  // A link back up the tree is searched once, not for ever.
  fs.symlinkSync(dir, path.join(dir, 'aldi', 'loop'));
  return dir;
}

test('a folder is searched with its sub-folders, in path order; hidden folders, rejects files and excluded folders are left out', (t) => {
  const dir = companyFolders(t);
  const found = findScrapeFiles([dir], undefined, { exclude: [path.join(dir, 'outbox')] }).map((file) => path.relative(dir, file));
  t.deepEqual(found, ['aldi/aldi-g1-2026-01-01.jsonl.gz', 'coles/2025/coles-0584-2026-01-01.jsonl', 'iga/iga-22-2026-01-01.jsonl', 'top-2026-01-01.jsonl']);
  // Without the exclusion the outbox is an ordinary sub-folder; the order is the same every time.
  const all = findScrapeFiles([dir]).map((file) => path.relative(dir, file));
  t.true(all.includes('outbox/coles-0584-2026-01-01.jsonl'));
  t.deepEqual(findScrapeFiles([dir]).map((file) => path.relative(dir, file)), all);
  // A named file is taken as it is, even a rejects file or one in a hidden folder.
  const named = path.join(dir, '.cache', 'hidden-2026-01-01.jsonl');
  t.deepEqual(findScrapeFiles([named]), [named]);
});

test('import DIR imports the files of every company sub-folder, never a hidden one', async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = companyFolders(t);
  fs.rmSync(path.join(dir, 'outbox'), { recursive: true });
  const run = await cli.run(['import', dir, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { files: Array<{ file: string; mode: string; company: string }>; totals: { imported: number; failed: number } };
  t.deepEqual(result.files.map((f) => path.relative(dir, f.file)).sort(), ['aldi/aldi-g1-2026-01-01.jsonl.gz', 'coles/2025/coles-0584-2026-01-01.jsonl', 'iga/iga-22-2026-01-01.jsonl', 'top-2026-01-01.jsonl']);
  t.like(result.totals, { imported: 4, failed: 0 });
});

test('import of a folder with no scrape file says so in one sentence and exits 0; a named file that does not exist exits 3', async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'empty-company'));
  fs.writeFileSync(path.join(dir, 'readme.txt'), 'nothing here');
  const run = await cli.run(['import', dir]);
  t.is(run.code, ExitCode.ok, run.stderr);
  t.regex(run.stderr, new RegExp(`No scrape files \\(\\.jsonl or \\.jsonl\\.gz\\) were found in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} or its sub-folders`));
  t.notRegex(run.stdout, /Imported 0 of 0/);
  const json = await cli.run(['import', dir, '--json']);
  t.is(json.code, ExitCode.ok);
  const result = JSON.parse(json.stdout) as { files: unknown[]; nothingFound: string };
  t.deepEqual(result.files, []);
  t.regex(result.nothingFound, /^No scrape files .* were found in /);

  const missing = await cli.run(['import', path.join(dir, 'aldi-2026-01-01.jsonl')]);
  t.is(missing.code, ExitCode.input);
  t.regex(missing.stderr, /aldi-2026-01-01\.jsonl does not exist; check the path\./);
});

test('the pipeline imports an inbox laid out in company sub-folders, and says so when the inbox holds no scrape file', async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'aldi'));
  writeScrape(path.join(dir, 'aldi'), 'aldi-g1-2026-01-01.jsonl', products(3, { store_id: 'G1' }));
  const run = await cli.run(['pipeline', '--inbox', dir, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { steps: Array<{ step: string; summary: string }> };
  t.regex(result.steps.find((s) => s.step === 'import')?.summary ?? '', /^1 of 1 file\(s\) imported/);

  const empty = tempDir(t);
  const second = await cli.run(['pipeline', '--inbox', empty]);
  t.is(second.code, 0, second.stderr);
  t.regex(second.stderr, /No scrape files \(\.jsonl or \.jsonl\.gz\) were found in .* or its sub-folders/);
});

test('a store list and a postcode list in a data folder are left out of the import with a sentence naming their command; named, they are checked as scrapes', async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'aldi'));
  writeScrape(path.join(dir, 'aldi'), 'aldi-g1-2026-01-01.jsonl', products(3, { store_id: 'G1' }));
  const stores = writeScrape(dir, 'stores-2025-09-28.jsonl.gz', ['{"company": "aldi", "store_id": "G700", "name": "", "suburb": null, "state": "QLD", "postcode": null, "latitude": "-19.3", "longitude": "146.7"}']);
  const postcodes = writeScrape(dir, 'postcodes-au.jsonl.gz', ['{"postcode": "0200", "state": "ACT", "latitude": -35.2777, "longitude": 149.119}']);
  const run = await cli.run(['import', dir, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { files: Array<{ file: string }>; totals: { imported: number } };
  t.deepEqual(result.files.map((f) => path.relative(dir, f.file)), ['aldi/aldi-g1-2026-01-01.jsonl']);
  t.regex(run.stderr, /stores-2025-09-28\.jsonl\.gz is a store list, not a scrape file; it was left out \(load it with trolley stores import .*stores-2025-09-28\.jsonl\.gz\)\./);
  t.regex(run.stderr, /postcodes-au\.jsonl\.gz is a postcode list, not a scrape file; it was left out \(load it with trolley postcodes import /);
  const named = await cli.run(['import', stores]);
  t.is(named.code, ExitCode.input);
  t.regex(named.stdout + named.stderr, /stores-2025-09-28\.jsonl\.gz line 1 is not a \{"product"/);
  t.true(fs.existsSync(postcodes));
});
