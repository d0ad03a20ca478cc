/**
 * Concurrency, small: two commands started together over the same trimmed real files. Each ends
 * with exit 0, or (the embedded database has one writer) exit 5 saying the database is in use —
 * never 1; once the commands are run again to their end, the database equals a clean run's by a
 * natural-key fingerprint of every table: nothing lost, nothing twice.
 */
import test from 'ava';
import path from 'node:path';
import { cliSandbox, fingerprintDifferences, realFixture, sandboxFingerprint, writeCorpus, type CliSandbox } from '../../src/testing/index.js';
import { tempDir } from '../import/scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const SOURCES = [
  'aldi/aldi-aldi-store-g147-g147-2025-09-09.jsonl.gz',
  'aldi/aldi-aldi-store-g147-g147-2025-09-12.jsonl.gz',
  'aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz',
  'aldi/aldi-blair-athol-g457-2025-09-19.jsonl.gz',
  'iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz',
].map(realFixture);
const LATER = ['aldi/aldi-aldi-store-g147-g147-2025-09-22.jsonl.gz', 'aldi/aldi-edgecliff-g467-2025-09-19.jsonl.gz'].map(realFixture);
const env = { TROLLEY_LOG_LEVEL: 'warn' };

/** Runs commands together; each must end 0 or 5 (in use), never 1. */
async function together(t: import('ava').ExecutionContext, cli: CliSandbox, commands: ReadonlyArray<readonly string[]>): Promise<Array<number | null>> {
  const results = await Promise.all(commands.map((args) => cli.run(args, { env })));
  results.forEach((r, i) => {
    t.true(r.code === 0 || r.code === 5, `${commands[i]!.join(' ')} exited ${r.code}: ${r.stderr}`);
    if (r.code === 5) t.regex(r.stdout + r.stderr, /in use/, 'exit 5 says the database is in use');
  });
  return results.map((r) => r.code);
}

async function sequentially(t: import('ava').ExecutionContext, cli: CliSandbox, commands: ReadonlyArray<readonly string[]>): Promise<void> {
  for (const args of commands) {
    const r = await cli.run(args, { env });
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
}

test(`two imports at once, import during groups maintain, two pipelines at once: no exit 1, and after a rerun the database equals a clean run's (${database})`, async (t) => {
  const dir = tempDir(t);
  const first = path.join(dir, 'first');
  const all = path.join(dir, 'all');
  writeCorpus(SOURCES, first, 40);
  writeCorpus([...SOURCES, ...LATER], all, 40);
  const importFirst = ['import', first, '--json'];
  const importAll = ['import', all, '--json'];
  const maintain = ['groups', 'maintain', '--json'];
  const pipeline = ['pipeline', '--inbox', all, '--json'];

  const clean = cliSandbox(t, { database });
  await sequentially(t, clean, [importFirst, ['groups', 'init', '--json'], maintain, importAll, maintain]);
  const afterGroups = await sandboxFingerprint(t, clean);

  // Two imports of the same files at once, then import during groups maintain.
  const raced = cliSandbox(t, { database });
  const codes: Array<number | null> = [];
  codes.push(...(await together(t, raced, [importFirst, importFirst])));
  await sequentially(t, raced, [importFirst, ['groups', 'init', '--json'], maintain]);
  codes.push(...(await together(t, raced, [importAll, maintain])));
  await sequentially(t, raced, [importAll, maintain]);
  t.deepEqual(fingerprintDifferences(afterGroups, await sandboxFingerprint(t, raced)), []);

  // Two pipelines at once over the whole inbox.
  const cleanPipeline = cliSandbox(t, { database });
  await sequentially(t, cleanPipeline, [pipeline]);
  const racedPipeline = cliSandbox(t, { database });
  codes.push(...(await together(t, racedPipeline, [pipeline, pipeline])));
  await sequentially(t, racedPipeline, [pipeline]);
  t.deepEqual(fingerprintDifferences(await sandboxFingerprint(t, cleanPipeline), await sandboxFingerprint(t, racedPipeline)), []);
  t.log(`exit codes of the commands run together: ${codes.join(', ')}`);
});
