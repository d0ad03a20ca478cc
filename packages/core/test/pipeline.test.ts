import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliSandbox, sandboxDatabase, type CliSandbox } from '../src/testing/index.js';
import type { PipelineResult } from '../src/commands/pipeline.js';
import { PIPELINE_SAMPLE } from '../src/pipeline/sample-inbox.js';
import { allTables, snapshot } from './import/db-snapshot.js';
import { REAL } from './import/scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const STEPS = ['import', 'groups', 'substitutions', 'bargains'];
const STEPS_PLUGIN = fileURLToPath(new URL('../../test/fixtures/plugins/pipeline-steps', import.meta.url));

async function pipeline(cli: CliSandbox, args: readonly string[]): Promise<{ code: number | null; result: PipelineResult; stderr: string }> {
  const run = await cli.run(['pipeline', ...args, '--json'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
  return { code: run.code, result: JSON.parse(run.stdout) as PipelineResult, stderr: run.stderr };
}

/** A small inbox: two days of 8 stores of the four chains, 150 products each. */
async function smallInbox(cli: CliSandbox): Promise<string> {
  const inbox = path.join(path.dirname(cli.home), 'inbox');
  const sample = await cli.run(['sample', '--out', inbox, '--stores', '8', '--products', '150', '--days', '2', '--zones', '1', '--rogue', '0']);
  if (sample.code !== 0) throw new Error(sample.stderr);
  return inbox;
}

test(`pipeline runs every step in order, and a second run over the same inbox changes no row and says so (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const inbox = await smallInbox(cli);

  const first = await pipeline(cli, ['--inbox', inbox]);
  t.is(first.code, 0, first.stderr);
  t.deepEqual(first.result.steps.map((s) => s.step), STEPS, 'import, then the generators in stage order');
  t.true(first.result.steps.every((s) => s.status === 'done'));
  t.is(first.result.failed, null);
  t.is(first.result.changed, true);
  const [imported, groups, subs, bargains] = first.result.steps;
  t.like(imported!.counts, { files: 16, imported: 16, failed: 0, records: 2 * 8 * 150 });
  // One price zone per chain: each chain's two stores end in one group.
  t.is(groups!.counts.groups, 4);
  t.true(subs!.counts.lvl1! > 0 && subs!.counts.pairs! >= subs!.counts.lvl1!);
  t.true(bargains!.counts.bargains! > 0);
  t.like(first.result.figures, { stores: 8, observedPrices: 2 * 8 * 150 });
  const f = first.result.figures;
  t.true(f.currentPriceRows <= 4 * 150, `${f.currentPriceRows} current rows: one copy per group`);
  t.is(f.storedPriceRows, f.currentPriceRows + f.historyRows + f.exclusionRows, 'every row storing a price fact counts');
  t.true(f.historyRows > 0);

  const db = await sandboxDatabase(t, cli);
  const knex = await db.knex();
  const tables = await allTables(knex);
  for (const table of ['prices', 'price_history', 'store_groups', 'substitutions', 'category_links', 'embeddings', 'bargains']) t.true(tables.includes(table), table);
  const before = await snapshot(knex, tables);
  await db.close();

  const second = await cli.run(['pipeline', '--inbox', inbox], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
  t.is(second.code, 0, second.stderr);
  t.regex(second.stdout, /Nothing changed/);
  const again = await pipeline(cli, ['--inbox', inbox]);
  t.is(again.result.changed, false);
  t.deepEqual(
    again.result.steps.map((s) => [s.step, s.changes]),
    STEPS.map((s) => [s, 0]),
  );
  t.like(again.result.steps[0]!.counts, { stale: 16, imported: 0, records: 2 * 8 * 150 });
  t.is(again.result.figures.observedPrices, 2 * 8 * 150, 'the files already imported still count as observed (from the ledger, not read again)');
  const db2 = await sandboxDatabase(t, cli);
  t.deepEqual(await snapshot(await db2.knex(), tables), before, 'every table holds exactly what it held');
});

test('pipeline --sample writes the sample inbox once into the data directory and reuses it', async (t) => {
  const cli = cliSandbox(t);
  const first = await pipeline(cli, ['--sample']);
  t.is(first.code, 0, first.stderr);
  t.true(first.result.sample!.written);
  t.true(first.result.sample!.dir.startsWith(cli.home));
  t.is(first.result.sample!.files, PIPELINE_SAMPLE.stores * PIPELINE_SAMPLE.days);
  t.like(first.result.figures, { stores: PIPELINE_SAMPLE.stores, observedPrices: PIPELINE_SAMPLE.stores * PIPELINE_SAMPLE.products * PIPELINE_SAMPLE.days });
  t.true(first.result.figures.currentPriceRows < first.result.figures.observedPrices / 2);
  const subs = first.result.steps.find((s) => s.step === 'substitutions')!;
  for (const level of ['lvl1', 'lvl2', 'lvl3', 'lvl4']) t.true(subs.counts[level]! > 0, `${level}: ${subs.counts[level]}`);
  t.false(fs.readdirSync(path.dirname(first.result.sample!.dir)).some((name) => name.includes('.partial')), 'no scratch folder left');

  const second = await pipeline(cli, ['--sample']);
  t.is(second.code, 0, second.stderr);
  t.false(second.result.sample!.written);
  t.is(second.result.changed, false);
});

test(`a failed step stops the cycle, is named, and the work before it stays committed (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const inbox = path.join(path.dirname(cli.home), 'inbox');
  fs.mkdirSync(inbox);
  fs.copyFileSync(`${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`, path.join(inbox, 'iga-local-grocer-wattle-park-2025-09-18.jsonl.gz'));
  fs.writeFileSync(path.join(inbox, 'aldi-broken-g999-2025-09-19.jsonl'), '{"metadata": {"store_id": "G999"\n');

  const run = await pipeline(cli, ['--inbox', inbox]);
  t.is(run.code, 3);
  t.regex(run.stderr, /The import step failed: 1 of 2 file\(s\) could not be imported .*aldi-broken-g999.*The steps before it stay committed/);
  t.deepEqual(run.result.steps.map((s) => [s.step, s.status]), [['import', 'failed']], 'no generator ran');
  t.like(run.result.failed, { step: 'import', exitCode: 3 });
  t.true(fs.existsSync(path.join(inbox, 'aldi-broken-g999-2025-09-19.jsonl')), 'the bad file is left where it was');
  const db = await sandboxDatabase(t, cli);
  const rows = (await (await db.knex()).raw(`select count(*)::int as n from prices`)).rows[0].n as number;
  t.true(rows > 0, 'the good file was imported and stays');
});

test('a third-party Generator runs at its stage; one that fails stops the cycle there, named, with its exit code', async (t) => {
  const cli = cliSandbox(t);
  const linked = await cli.run(['plugins', 'link', STEPS_PLUGIN, '--no-install']);
  t.is(linked.code, 0, linked.stderr);
  const inbox = await smallInbox(cli);

  const run = await pipeline(cli, ['--inbox', inbox]);
  t.is(run.code, 0, run.stderr);
  t.deepEqual(run.result.steps.map((s) => s.step), ['import', 'groups', 'audit', 'substitutions', 'fragile', 'bargains']);
  const audit = run.result.steps.find((s) => s.step === 'audit')!;
  t.deepEqual(audit.counts, { groups: 4, substitutions: 0 }, 'after the groups, before the substitutions');
  t.is(run.result.steps.find((s) => s.step === 'fragile')!.changes, null, 'a generator that does not report changes');
  t.is(run.result.changed, true);

  const failing = await cli.run(['pipeline', '--inbox', inbox], { env: { TROLLEY_TEST_FRAGILE: '1', TROLLEY_LOG_LEVEL: 'warn' } });
  t.is(failing.code, 3);
  t.regex(failing.stderr, /trolley: The fragile step failed: the fragile step needs a config file\. The steps before it stay committed; fix that and run trolley pipeline again\./);
  t.regex(failing.stdout, /FAILED fragile/);
  t.notRegex(failing.stdout, /bargains/, 'the cycle stopped before bargains');

  const again = await pipeline(cli, ['--inbox', inbox]);
  t.is(again.code, 0, again.stderr);
  t.is(again.result.changed, null, 'fragile cannot tell, so the pipeline does not claim nothing changed');
  t.regex((await cli.run(['pipeline', '--inbox', inbox], { env: { TROLLEY_LOG_LEVEL: 'warn' } })).stdout, /A step could not tell whether it changed anything/);
});

test('without an inbox the pipeline says where to put files, or to try --sample', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['pipeline']);
  t.is(run.code, 2);
  t.regex(run.stderr, /The inbox .*inbox does not exist; put scrape files there, pass --inbox DIR, or run trolley pipeline --sample/);
});

test(`pipeline reports a failed file and the later files of its store it held back truthfully, and the rerun imports them (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const inbox = await smallInbox(cli);
  const files = fs.readdirSync(inbox).filter((f) => /\.jsonl(\.gz)?$/.test(f)).sort();
  t.is(files.length, 16);
  // One store's first day gets a line that does not check: its second day must wait behind it.
  const { gunzipSync, gzipSync } = await import('node:zlib');
  const dates = [...new Set(files.map((f) => /\d{4}-\d{2}-\d{2}/.exec(f)![0]))].sort();
  const bad = files.find((f) => f.includes(dates[0]!))!;
  const body = (f: string) => (f.endsWith('.gz') ? gunzipSync(fs.readFileSync(path.join(inbox, f))).toString() : fs.readFileSync(path.join(inbox, f), 'utf8'));
  const original = fs.readFileSync(path.join(inbox, bad));
  const text = body(bad) + '{"product": \n';
  fs.writeFileSync(path.join(inbox, bad), bad.endsWith('.gz') ? gzipSync(text) : text);

  const run = await pipeline(cli, ['--inbox', inbox]);
  t.is(run.code, 3);
  t.like(run.result.steps[0]!.counts, { files: 16, imported: 14, failed: 1, held: 1 });
  t.regex(run.result.steps[0]!.summary, /^14 of 16 file\(s\) imported \(0 stale.*1 failed, 1 held back behind a failed file of their store\)/);
  t.is(run.result.figures.stores, 7, 'the stores in the database: the bad file\'s store has no imported file yet');

  fs.writeFileSync(path.join(inbox, bad), original);
  const rerun = await pipeline(cli, ['--inbox', inbox]);
  t.is(rerun.code, 0, rerun.stderr);
  t.like(rerun.result.steps[0]!.counts, { files: 16, imported: 2, stale: 14, failed: 0, held: 0 });
});
