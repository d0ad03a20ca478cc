/**
 * The mutation fuzzer, small: every mutant class over trimmed real files (three days of one Aldi
 * store, another Aldi store, an IGA store). Each mutant is imported with the other files of the
 * corpus; the import never exits 1, each refusal names its file and line, and the database then
 * holds exactly what a clean import of the files that were not refused (nor held behind them)
 * holds, by a natural-key fingerprint of every table. `npm run bench -- chaos` runs many more.
 */
import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import {
  CleanReferences,
  MUTANT_CLASSES,
  checkTrial,
  cliSandbox,
  importInProcess,
  mutate,
  mutantTrial,
  realFixture,
  sandboxDatabase,
  seededRandom,
  testDatabase,
  writeCorpus,
  type Mutant,
} from '../../src/testing/index.js';
import { tempDir } from '../import/scrape-fixtures.js';

const SOURCES = [
  'aldi/aldi-aldi-store-g147-g147-2025-09-09.jsonl.gz',
  'aldi/aldi-aldi-store-g147-g147-2025-09-12.jsonl.gz',
  'aldi/aldi-aldi-store-g147-g147-2025-09-22.jsonl.gz',
  'aldi/aldi-edgecliff-g467-2025-09-19.jsonl.gz',
  'iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz',
].map(realFixture);
const LINES = 15;
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 1);
const SEED = Number(process.env.CHAOS_SEED ?? 19);

function setup(t: ExecutionContext) {
  const dir = tempDir(t);
  const corpus = writeCorpus(SOURCES, path.join(dir, 'corpus'), LINES);
  const clean = new CleanReferences(corpus, async () => {
    const { knex, database } = await testDatabase(t);
    return { knex, close: () => database.close() };
  });
  return { dir, corpus, clean };
}

test('every mutant class, in place of a random file of real scrapes: no exit 1, each refusal names file and line, and the database equals a clean import without the refused files', async (t) => {
  const { dir, corpus, clean } = setup(t);
  const random = seededRandom(SEED);
  const failures: string[] = [];
  const tally = new Map<string, { tried: number; refused: number }>();
  for (const cls of MUTANT_CLASSES) {
    for (let round = 0; round < ROUNDS; round++) {
      const open = async () => {
        const { knex, database } = await testDatabase(t);
        return { knex, close: () => database.close() };
      };
      const verdict = await mutantTrial({ corpus, kind: cls.kind, random, dir: path.join(dir, `trial-${cls.kind.replace(/\W+/g, '-')}-${round}`), open, clean });
      const count = tally.get(cls.kind) ?? { tried: 0, refused: 0 };
      tally.set(cls.kind, { tried: count.tried + 1, refused: count.refused + verdict.refused.length });
      for (const problem of verdict.problems) failures.push(`${cls.kind} of ${verdict.target} (seed ${SEED}, round ${round}): ${problem}`);
    }
  }
  t.log([...tally].map(([kind, n]) => `${kind}: ${n.refused}/${n.tried} refused`).join('; '));
  t.deepEqual(failures, []);
  t.is([...tally.values()].reduce((n, c) => n + c.tried, 0), MUTANT_CLASSES.length * ROUNDS);
});

test('trolley import over a folder with several mutants at once: exit 3 (never 1), each refused file named, the rest imported exactly as a clean import', async (t) => {
  const { dir, corpus, clean } = setup(t);
  const random = seededRandom(SEED + 1);
  const cli = cliSandbox(t);
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  // One mutant per store, of the classes that must be refused or read as the original.
  const kinds = ['NUL in a name', 'byte-order mark', 'impossible date', 'CRLF line ends'];
  const mutants = new Map<string, Mutant>();
  const byStore = new Map<string, string>();
  for (const f of corpus) if (!byStore.has(f.store) || random() < 0.5) byStore.set(f.store, f.name);
  [...byStore.values()].forEach((name, i) => mutants.set(name, mutate(kinds[i % kinds.length]!, name, fs.readFileSync(corpus.find((f) => f.name === name)!.path), random)));
  for (const f of corpus) fs.writeFileSync(path.join(inbox, f.name), mutants.get(f.name)?.bytes ?? fs.readFileSync(f.path));
  const trialPaths = corpus.map((f) => path.join(inbox, f.name));

  const result = await cli.run(['import', inbox, '--json']);
  t.not(result.code, 1, result.stderr);
  const json = JSON.parse(result.stdout) as { files: import('../../src/import/import-file.js').FileReport[] };
  t.is(result.code, json.files.some((f) => f.mode === 'failed') ? 3 : 0, result.stderr);
  t.true(json.files.some((f) => f.mode === 'failed'), 'at least one mutant was refused');
  const db = await sandboxDatabase(t, cli);
  const verdict = await checkTrial({ knex: await db.knex(), corpus, mutants, trialPaths, outcome: { reports: json.files, exitCode: result.code! }, clean });
  t.deepEqual(verdict.problems, []);
  for (const name of verdict.refused) t.regex(result.stderr, new RegExp(name.replace(/\./g, '\\.')), 'the refusal is on stderr too');
});
