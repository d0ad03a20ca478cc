import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { cliSandbox } from '../src/testing/index.js';
import { ExitCode } from '../src/errors.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const FIRST_PARTY = ['@trolley/core', '@trolley/plugin-bargains', '@trolley/plugin-grouping', '@trolley/plugin-scraper-aldi', '@trolley/plugin-scraper-coles', '@trolley/plugin-scraper-iga', '@trolley/plugin-scraper-woolworths', '@trolley/plugin-subs'];

test('--help lists the commands and opens no database', async (t) => {
  const cli = cliSandbox(t);
  const { code, stdout } = await cli.run(['--help']);
  t.is(code, 0);
  for (const word of ['extensions', 'db', 'plugins']) t.regex(stdout, new RegExp(`\\b${word}\\b`));
  t.false(fs.existsSync(cli.home), 'nothing written to the trolley home');
});

test('extensions --json lists what the core and the four bundled plugins register, without a database', async (t) => {
  const cli = cliSandbox(t);
  const { code, stdout, stderr } = await cli.run(['extensions', '--json']);
  t.is(code, 0, stderr);
  const result = JSON.parse(stdout) as { apiVersion: string; extensions: Array<{ kind: string; id: string; plugin: string; pluginVersion: string; apiVersion: string }>; problems: unknown[] };
  t.is(result.apiVersion, '1.5.0');
  t.deepEqual([...new Set(result.extensions.map((e) => e.plugin))].sort(), FIRST_PARTY);
  const listed = result.extensions.map((e) => `${e.kind}/${e.id}`);
  // The core's own, and at least one from each bundled plugin (their issues add more).
  for (const expected of ['Migrations/core', 'PricingStoreResolver/identity', 'Migrations/bargains', 'RetentionPolicy/keep', 'Scraper/coles', 'Scraper/aldi', 'Scraper/woolworths', 'Scraper/iga', 'SubstitutionGenerator/lvl1', 'SubstitutionGenerator/lvl2', 'Migrations/grouping', 'PricingStoreResolver/groups', 'RetentionPolicy/lossless', 'RetentionPolicy/aggressive', 'PriceCountBreakdown/group', 'Generator/bargains', 'Generator/groups', 'Generator/substitutions']) {
    t.true(listed.includes(expected), `${expected} is listed`);
  }
  t.is(new Set(listed).size, listed.length, 'no extension is listed twice');
  t.deepEqual(listed.slice(0, 2), ['Migrations/core', 'PricingStoreResolver/identity'], 'the core comes first');
  t.true(result.extensions.every((e) => e.pluginVersion === '0.1.0' && e.apiVersion === result.apiVersion));
  t.deepEqual(result.problems, []);
  t.false(fs.existsSync(path.join(cli.home, 'db')), 'listing extensions opens no database');
});

test(`db migrate then db status (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const before = await cli.run(['db', 'status', '--json']);
  t.is(before.code, 0, before.stderr);
  const pendingBefore = JSON.parse(before.stdout) as { pending: string[]; applied: string[]; kind: string; upToDate: boolean };
  t.is(pendingBefore.kind, database === 'server' ? 'postgres' : 'embedded');
  t.deepEqual(pendingBefore.applied, []);
  const core = ['@trolley/core:0001_companies_stores', '@trolley/core:0002_catalogue_prices', '@trolley/core:0003_leaner_price_tables', '@trolley/core:0004_imported_files', '@trolley/core:0005_group_storage', '@trolley/core:0006_store_registry', '@trolley/core:0007_search', '@trolley/core:0008_full_scrape_dates', '@trolley/core:0009_shared_history', '@trolley/core:0010_catalogue_changes', '@trolley/core:0011_store_digests', '@trolley/core:0012_raw_store_digests', '@trolley/core:0013_uncompressed_store_digests'];
  t.deepEqual(pendingBefore.pending.slice(0, core.length), core, "the core's migrations first, in order");
  const plugins = pendingBefore.pending.slice(core.length);
  t.true(plugins.includes('@trolley/plugin-bargains:0001_bargains') && plugins.includes('@trolley/plugin-subs:0001_substitutions') && plugins.includes('@trolley/plugin-grouping:0001_store_groups'), plugins.join(', '));
  t.deepEqual(plugins, [...plugins].sort(), "then the plugins', by plugin name");
  t.false(pendingBefore.upToDate);

  const dry = await cli.run(['db', 'migrate', '--dry-run', '--json']);
  t.is(dry.code, 0, dry.stderr);
  t.deepEqual(JSON.parse(dry.stdout).applied, []);

  const migrate = await cli.run(['db', 'migrate']);
  t.is(migrate.code, 0, migrate.stderr);
  t.regex(migrate.stdout, new RegExp(`Applied ${pendingBefore.pending.length} migration\\(s\\)`));

  const after = await cli.run(['db', 'status', '--json']);
  const status = JSON.parse(after.stdout) as { pending: string[]; applied: string[]; upToDate: boolean; serverVersion: string };
  t.deepEqual(status.applied, pendingBefore.pending);
  t.deepEqual(status.pending, []);
  t.true(status.upToDate);
  t.regex(status.serverVersion, /^1[5-9]/);

  const again = await cli.run(['db', 'migrate', '--json']);
  t.deepEqual(JSON.parse(again.stdout).applied, []);
  if (database === 'embedded') {
    t.true(fs.existsSync(path.join(cli.home, 'db')), 'the embedded database lives in TROLLEY_HOME');
    t.false(fs.existsSync(path.join(cli.home, 'db.lock')), 'the lock is released at exit');
  }
});

test('a second process is told the embedded database is in use, by which pid, and exits "unavailable"', async (t) => {
  const cli = cliSandbox(t);
  t.is((await cli.run(['db', 'migrate'])).code, 0);
  fs.writeFileSync(path.join(cli.home, 'db.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: '2026-11-25T00:00:00.000Z', command: 'import big.jsonl' }));
  const second = await cli.run(['db', 'status']);
  t.is(second.code, ExitCode.unavailable);
  t.is(second.stderr.trim(), `trolley: The embedded database is in use by process ${process.pid} (trolley import big.jsonl, since 2026-11-25T00:00:00.000Z); wait for it to finish, or stop it, then run the command again.`);
  fs.rmSync(path.join(cli.home, 'db.lock'));
  t.is((await cli.run(['db', 'status'])).code, 0);
});

test('an unreachable server: one sentence with the fix, exit code "unavailable", no stack trace', async (t) => {
  const cli = cliSandbox(t);
  const env = { DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nowhere' };
  const human = await cli.run(['db', 'status'], { env });
  t.is(human.code, ExitCode.unavailable);
  t.is(human.stderr.trim().split('\n').length, 1, human.stderr);
  t.regex(human.stderr, /^trolley: Cannot reach PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere \(ECONNREFUSED\); start the server or correct DATABASE_URL/);
  t.notRegex(human.stderr, /secret/);
  const json = await cli.run(['db', 'status', '--json'], { env });
  t.is(json.code, ExitCode.unavailable);
  const body = JSON.parse(json.stdout) as { status: number; error: { code: string; exitCode: number; stack?: string } };
  t.is(body.error.code, 'database-unreachable');
  t.is(body.error.exitCode, ExitCode.unavailable);
  t.is(body.error.stack, undefined);
  const debug = await cli.run(['db', 'status', '--log-level', 'debug', '--log-format', 'json'], { env });
  t.regex(debug.stderr, /DatabaseUnavailableError: Cannot reach/, 'the stack is shown at debug level');
});

test('--log-format pretty writes human log lines, not JSON', async (t) => {
  const cli = cliSandbox(t);
  const result = await cli.run(['db', 'status', '--log-level', 'debug', '--log-format', 'pretty']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /DEBUG.*database opened/);
  t.throws(() => JSON.parse(result.stderr.split('\n')[0] ?? ''));
});

test('a usage error exits 2 with one line', async (t) => {
  const cli = cliSandbox(t);
  const result = await cli.run(['db', 'status', '--no-such-flag']);
  t.is(result.code, ExitCode.usage);
  t.regex(result.stderr, /^trolley: Nonexistent flag: --no-such-flag/);
  const badLevel = await cli.run(['extensions'], { env: { TROLLEY_LOG_LEVEL: 'shouty' } });
  t.is(badLevel.code, ExitCode.usage);
  t.regex(badLevel.stderr, /"shouty" is not one of/);
});

test('logs go to stderr as JSON in a pipe, results to stdout', async (t) => {
  const cli = cliSandbox(t);
  const result = await cli.run(['db', 'migrate', '--json', '--log-level', 'info']);
  t.is(result.code, 0, result.stderr);
  t.notThrows(() => JSON.parse(result.stdout));
  const debug = await cli.run(['db', 'status', '--log-level', 'debug']);
  t.is(debug.code, 0, debug.stderr);
  const lines = debug.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; level: number });
  t.true(lines.some((l) => l.msg === 'database opened' && l.level === 20), debug.stderr);
});
