import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cliSandbox } from '../src/testing/index.js';
import { durationDays, durationMs, parseDuration } from '../src/cli/duration.js';
import { parseDays } from '../src/cli/date-options.js';
import { renderTable } from '../src/cli/table.js';
import { REPORT_RESOLVED, resolvedModules } from '../src/testing/modules-resolved.js';
import { serverError } from '../src/db/database.js';
import { ExitCode, isTrolleyError } from '../src/errors.js';
import { closestCommand } from '../src/hooks/command-not-found.js';
import { importAdvice } from '../src/pipeline/pipeline-text.js';

test('-h is help on trolley\'s commands; version and autocomplete exist', async (t) => {
  const cli = cliSandbox(t);
  const help = await cli.run(['import', '-h']);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /USAGE\n\s+\$ trolley import PATHS/);
  const version = await cli.run(['version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^@trolley\/core\/0\.1\.0 /);
  const complete = await cli.run(['autocomplete', 'bash']);
  t.is(complete.code, 0, complete.stderr);
  t.regex(complete.stdout, /trolley autocomplete/);
});

test('a mistyped command: one sentence in trolley\'s style naming the closest command, exit 2', async (t) => {
  const cli = cliSandbox(t);
  const typo = await cli.run(['pipelin']);
  t.is(typo.code, ExitCode.usage);
  t.is(typo.stderr.trim(), 'trolley: "pipelin" is not a trolley command; did you mean trolley pipeline?');
  const far = await cli.run(['zzzzzz']);
  t.is(far.code, ExitCode.usage);
  t.is(far.stderr.trim(), 'trolley: "zzzzzz" is not a trolley command; trolley help lists the commands.');
  t.is(closestCommand('prices:cout', ['prices:count', 'prices:show', 'import']), 'prices:count');
  t.is(closestCommand('bananas', ['prices:count', 'import']), undefined);
});

test('a mysql:// (or scheme-less) database URL is a usage error, exit 2, before anything is opened', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['db', 'status', '--database-url', 'mysql://root@127.0.0.1/trolley']);
  t.is(run.code, ExitCode.usage, run.stderr);
  t.regex(run.stderr, /^trolley: The database URL \(--database-url or DATABASE_URL\) is a mysql:\/\/ URL, and trolley works with PostgreSQL only; write it like postgres:\/\/user@host:5432\/trolley, or leave it unset for the embedded database\.\n$/);
  const bare = await cli.run(['db', 'status'], { env: { DATABASE_URL: '127.0.0.1:5432/trolley' } });
  t.is(bare.code, ExitCode.usage);
  t.regex(bare.stderr, /is without a scheme/);
});

test('a database that does not exist on the server: its own sentence (create it), exit 5', async (t) => {
  const missing = { kind: 'postgres' as const, url: 'postgres://root@127.0.0.1:5432/trolley_nowhere', schema: undefined };
  const error = serverError(missing, Object.assign(new Error('database "trolley_nowhere" does not exist'), { code: '3D000' }));
  t.is(error.exitCode, ExitCode.unavailable);
  t.regex(error.message, /^The database "trolley_nowhere" does not exist on the server of .*; create it \(createdb trolley_nowhere\) or correct DATABASE_URL/);
  const server = process.env.TEST_DATABASE_URL;
  if (server === undefined) return;
  // With a server at hand, the real answer of PostgreSQL gives the same sentence.
  const url = new URL(server);
  url.pathname = '/trolley_nowhere_h18';
  const run = await cliSandbox(t).run(['db', 'status', '--database-url', url.href]);
  t.is(run.code, ExitCode.unavailable, run.stderr);
  t.regex(run.stderr, /The database "trolley_nowhere_h18" does not exist on the server .*create it \(createdb trolley_nowhere_h18\)/);
});

test('serve: a port in use exits 5 and a host that is not this machine\'s exits 2, each with one sentence', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const cli = cliSandbox(t);
  const busy = await cli.run(['serve', '--no-auth', '--port', String(port)]);
  t.is(busy.code, ExitCode.unavailable, busy.stderr);
  t.regex(busy.stderr, new RegExp(`trolley: Port ${port} on 127\\.0\\.0\\.1 is in use by another program; stop it or pick another port with --port`));
  const foreign = await cli.run(['serve', '--port', '0', '--host', '203.0.113.7'], { env: { TROLLEY_API_KEY: 'k' } });
  t.is(foreign.code, ExitCode.usage, foreign.stderr);
  t.regex(foreign.stderr, /trolley: --host 203\.0\.113\.7 is not an address of this machine \(EADDRNOTAVAIL\)/);
});

test('one duration grammar: 1m is a minute, a bare number is seconds; a flag in days refuses what is not whole days', (t) => {
  t.is(durationMs('1m'), 60_000);
  t.is(durationMs('1m30s'), 90_000);
  t.is(durationMs('500ms'), 500);
  t.is(durationMs('2'), 2_000);
  t.is(durationMs('0'), 0);
  t.is(durationMs('soon'), undefined);
  t.is(durationMs('-1d'), undefined);
  t.is(parseDuration('30s', 'timeout'), 30_000);
  t.regex(t.throws(() => parseDuration('later', 'delay'))!.message, /^--delay "later" is not a duration; write it like 2s, 500ms, 1m30s or 0\.$/);
  t.is(parseDays('72h'), 3);
  t.is(parseDays('1w'), 7);
  t.is(durationDays('3d'), 3);
  t.is(parseDays('soon'), undefined, 'not a duration: the command words its own error');
  for (const [text, shown] of [['1m', '1 minute'], ['30s', '30 seconds'], ['36h', '36 hours']] as const) {
    const error = t.throws(() => parseDays(text));
    t.true(isTrolleyError(error) && error.exitCode === ExitCode.usage);
    t.is(error!.message, `"${text}" is ${shown}, not a whole number of days; prices are dated by day, so give days like 1d, 3d, 72h or 1w.`);
  }
});

test('one list grammar: comma-separated and repeated flags mean the same', async (t) => {
  const cli = cliSandbox(t);
  const out = (name: string) => path.join(cli.home, name);
  const comma = await cli.run(['sample', '--out', out('a'), '--companies', 'aldi,iga', '--stores', '2', '--products', '5', '--json']);
  const repeated = await cli.run(['sample', '--out', out('b'), '--companies', 'aldi', '--companies', 'iga', '--stores', '2', '--products', '5', '--json']);
  t.is(comma.code, 0, comma.stderr);
  t.is(repeated.code, 0, repeated.stderr);
  t.deepEqual(fs.readdirSync(out('a')).sort(), fs.readdirSync(out('b')).sort());
  t.true(fs.readdirSync(out('a')).some((f) => f.startsWith('aldi')) && fs.readdirSync(out('a')).some((f) => f.startsWith('iga')));
});

test('tables fit the width they are given, wrapping long cells; --csv gives the same rows as CSV', async (t) => {
  const rows = [['Generator', 'groups', 'store groups: health check, merges and price retention'], ['Scraper', 'coles', 'barcodes, "quoted"']];
  const narrow = await renderTable(['KIND', 'ID', 'SUMMARY'], rows, { width: 40 });
  t.true(narrow.split('\n').every((line) => line.length <= 40), narrow);
  t.regex(narrow, /^KIND +ID +SUMMARY\nGenerator +groups +store groups:/);
  t.is(await renderTable(['KIND', 'ID', 'SUMMARY'], rows, { csv: true }), 'KIND,ID,SUMMARY\nGenerator,groups,store groups: health check, merges and price retention\nScraper,coles,"barcodes, ""quoted"""'.replace('store groups: health check, merges and price retention', '"store groups: health check, merges and price retention"'));
  const cli = cliSandbox(t);
  const csv = await cli.run(['extensions', '--csv']);
  t.is(csv.code, 0, csv.stderr);
  t.is(csv.stdout.split('\n')[0], 'KIND,ID,PLUGIN,VERSION,API,SUMMARY');
  const count = await cli.run(['prices', 'count', '--by', 'store', '--csv']);
  t.is(count.code, 0, count.stderr);
  t.is(count.stdout.split('\n')[0], 'STORE,STORES,ROWS,CURRENT,HISTORY,EXCLUSIONS', 'the first column is named for what it is');
});

test('the table library (ink, React) is loaded only to draw columns: not for --json or --csv', async (t) => {
  const cli = cliSandbox(t);
  const tableModules = (stderr: string) => resolvedModules(stderr).urls.filter((url) => /\/node_modules\/(@oclif\/table|ink|react)\//.test(url));
  for (const flag of ['--json', '--csv']) {
    const run = await cli.run(['extensions', flag], { env: { NODE_OPTIONS: REPORT_RESOLVED } });
    t.is(run.code, 0, resolvedModules(run.stderr).rest);
    t.deepEqual(tableModules(run.stderr), [], `extensions ${flag}`);
  }
  const drawn = await cli.run(['extensions'], { env: { NODE_OPTIONS: REPORT_RESOLVED } });
  t.is(drawn.code, 0, resolvedModules(drawn.stderr).rest);
  t.true(tableModules(drawn.stderr).length > 0, 'columns are drawn with the library');
  t.regex(drawn.stdout, /^KIND +ID +PLUGIN/m);
});

test('the pipeline\'s import failure advice names trolley import\'s flags with trolley import, not the pipeline', (t) => {
  const advice = importAdvice('aldi-g999.jsonl line 3 has no metadata.store_id (give one with --store-id); fix the line, or import the rest with --skip-invalid.');
  t.is(
    advice,
    'aldi-g999.jsonl line 3 has no metadata.store_id (import it with trolley import aldi-g999.jsonl --store-id ID, then run the pipeline again); fix the line, or import the rest of it with trolley import aldi-g999.jsonl --skip-invalid and run the pipeline again.',
  );
});
