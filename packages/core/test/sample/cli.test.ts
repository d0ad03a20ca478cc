import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { cliSandbox } from '../../src/testing/index.js';
import type { SampleCommandResult } from '../../src/commands/sample.js';
import { readLines, tempDir } from './helpers.js';

test('trolley sample writes the files and answers --json with what it wrote', async (t) => {
  const cli = cliSandbox(t);
  const dir = path.join(tempDir(t), 'out');
  const run = await cli.run(['sample', '--out', dir, '--stores', '4', '--products', '50', '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as SampleCommandResult;
  t.is(result.outDir, dir);
  t.is(result.records, 200);
  t.is(result.stores, 4);
  t.is(result.seed, 1);
  t.deepEqual(result.dates, { from: '2026-01-31', to: '2026-01-31' });
  t.deepEqual([...result.files].sort(), fs.readdirSync(dir).sort());
  t.deepEqual(result.storeList.map((s) => s.company), ['coles', 'woolworths', 'aldi', 'iga']);
  t.true(result.storeList.every((s) => s.zone === null), 'one rogue store per chain by default, and each chain has one store');
  const lines = readLines(path.join(dir, result.files[0] as string));
  t.is(lines.length, 50);
  t.is(lines[0]?.metadata.company, 'coles');
  t.false(fs.existsSync(path.join(cli.home, 'db')), 'no database is created');
});

test('trolley sample refuses a directory that is not empty unless --force, and writes nothing', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
  const refused = await cli.run(['sample', '--out', dir, '--stores', '2', '--products', '10']);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /--out .* is not empty \(1 entry\); choose a new or empty directory, or add --force to write into it/);
  t.deepEqual(fs.readdirSync(dir), ['keep.txt']);

  const asJson = await cli.run(['sample', '--out', dir, '--stores', '2', '--products', '10', '--json']);
  t.is(asJson.code, 2);
  const error = JSON.parse(asJson.stdout) as { error: { code: string; message: string; exitCode: number } };
  t.is(error.error.exitCode, 2);
  t.regex(error.error.message, /is not empty/);

  const forced = await cli.run(['sample', '--out', dir, '--stores', '2', '--products', '10', '--force']);
  t.is(forced.code, 0, forced.stderr);
  t.regex(forced.stdout, /^Wrote 2 file\(s\), 20 records \(2 stores, \d+ products, 2026-01-31\) to .* in \d+\.\ds\.\n$/);
  t.is(fs.readdirSync(dir).length, 3);
  t.is(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'mine');
});

test('trolley sample explains bad flag values in one sentence with exit code 2', async (t) => {
  const cli = cliSandbox(t);
  const dir = path.join(tempDir(t), 'out');
  const cases: Array<[string[], RegExp]> = [
    [['--stores', '0'], /^trolley: --stores must be at least 1 \(got 0\)\.\n$/],
    [['--companies', 'coles,lidl'], /^trolley: --companies: unknown company "lidl"; use coles, woolworths, aldi, iga\.\n$/],
    [['--end-date', '31/01/2026'], /^trolley: --end-date must be a date written YYYY-MM-DD, not "31\/01\/2026"\.\n$/],
    [['--daily-change', '0.5%'], /^trolley: --daily-change must be a number such as 0\.005 \(for 0\.5%\), not "0\.5%"\.\n$/],
    [['--daily-change', '2'], /^trolley: --daily-change must be a share above 0 and at most 0\.5 \(0\.005 for 0\.5%\), not 2\.\n$/],
  ];
  for (const [flags, message] of cases) {
    const run = await cli.run(['sample', '--out', dir, ...flags]);
    t.is(run.code, 2, flags.join(' '));
    t.regex(run.stderr, message);
  }
  t.false(fs.existsSync(dir));
});

test('trolley sample --companies and --days choose the chains and dates', async (t) => {
  const cli = cliSandbox(t);
  const dir = path.join(tempDir(t), 'out');
  const run = await cli.run(['sample', '--out', dir, '--companies', 'IGA, aldi', '--stores', '3', '--products', '20', '--days', '2', '--end-date', '2025-03-01', '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as SampleCommandResult;
  t.deepEqual(result.dates, { from: '2025-02-28', to: '2025-03-01' });
  t.is(result.files.length, 6);
  t.true(result.files.every((f) => /^(aldi|iga)-.*-(2025-02-28|2025-03-01)\.jsonl\.gz$/.test(f)));
  t.deepEqual(result.storeList.map((s) => s.company), ['aldi', 'iga', 'aldi']);
});
