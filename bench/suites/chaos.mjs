// Chaos at scale: the mutation fuzzer, SIGKILL trials and concurrent commands of the chaos tests
// (packages/core/test/chaos), many more times, over the real files: the full files when
// TROLLEY_REAL_DATA names their folder, else the trimmed copies in packages/core/test/fixtures/real.
// Every run is compared with a clean run by a natural-key fingerprint of every table. Reported:
// mutants tried / refused / imported per class, kills survived, lost rows and differences from a
// clean run (both must be 0). The baseline measured beside them is the clean run's own time.
//
// Sizes: BENCH_MUTANTS per class (default 6), BENCH_KILLS import kills (default 10),
// BENCH_PIPELINE_KILLS (default 4), BENCH_RACES (default 2). Database: the benchmark server
// (BENCH_DATABASE_URL), or the embedded database with BENCH_CHAOS_DATABASE=embedded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER } from '../lib/psql.mjs';

const MUTANTS = Number(process.env.BENCH_MUTANTS ?? 6);
const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const PIPELINE_KILLS = Number(process.env.BENCH_PIPELINE_KILLS ?? 4);
const RACES = Number(process.env.BENCH_RACES ?? 2);
const SEED = Number(process.env.CHAOS_SEED ?? 1919);
const EMBEDDED = process.env.BENCH_CHAOS_DATABASE === 'embedded';
const env = { TROLLEY_LOG_LEVEL: 'warn' };

/** Teardowns as a test has them, run at the end of each trial. */
function scope() {
  const fns = [];
  return { teardown: (fn) => fns.push(fn), async end() { for (const fn of fns.reverse()) await fn(); fns.length = 0; } };
}

function sources(testing) {
  const real = testing.realDataFolder();
  const names = [
    'aldi/aldi-aldi-store-g147-g147-2025-09-09.jsonl.gz',
    'aldi/aldi-aldi-store-g147-g147-2025-09-12.jsonl.gz',
    'aldi/aldi-aldi-store-g147-g147-2025-09-22.jsonl.gz',
    'aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz',
    'aldi/aldi-blair-athol-g457-2025-09-19.jsonl.gz',
    'aldi/aldi-cowra-g439-2025-09-19.jsonl.gz',
    'aldi/aldi-edgecliff-g467-2025-09-19.jsonl.gz',
    'iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz',
    'iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz',
  ];
  return { files: names.map((n) => (real ? real.file(n) : testing.realFixture(n))), from: real ? `the full real files in ${real.dir ?? process.env.TROLLEY_REAL_DATA}` : 'the trimmed real files' };
}

/** Rows the clean run has that this one lacks, summed over tables (from the fingerprints' counts). */
function lostRows(clean, got) {
  let lost = 0;
  for (const [table, value] of Object.entries(clean)) lost += Math.max(0, Number(value.split(':')[0]) - Number((got[table] ?? '0:').split(':')[0]));
  return lost;
}

export async function run() {
  if (!EMBEDDED) process.env.TEST_DATABASE_URL = SERVER;
  else delete process.env.TEST_DATABASE_URL;
  const testing = await import('../../packages/core/dist/src/testing/index.js');
  const database = EMBEDDED ? 'embedded' : 'server';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-chaos-'));
  const outer = scope();
  const random = testing.seededRandom(SEED);
  const { files, from } = sources(testing);
  console.log(`corpus: ${files.length} files from ${from}; database: ${database}; seed ${SEED}`);
  let differences = 0;
  let lost = 0;
  let exit1 = 0;
  try {
    // 1. Mutants, in-process, each into a fresh database.
    const corpus = testing.writeCorpus(files, path.join(dir, 'corpus'));
    const open = async () => {
      const s = scope();
      const { knex, database: db } = await testing.testDatabase(s);
      return { knex, close: () => s.end() };
    };
    const clean = new testing.CleanReferences(corpus, open);
    const cleanStarted = performance.now();
    await clean.of([]);
    const cleanSeconds = (performance.now() - cleanStarted) / 1000;
    const classes = {};
    const problems = [];
    let trial = 0;
    for (const { kind } of testing.MUTANT_CLASSES) {
      const tally = (classes[kind] = { tried: 0, refused: 0, imported: 0, wrong: 0 });
      for (let i = 0; i < MUTANTS; i++) {
        const verdict = await testing.mutantTrial({ corpus, kind, random, dir: path.join(dir, `mutant-${trial++}`), open, clean });
        tally.tried++;
        if (verdict.refused.length) tally.refused++;
        else tally.imported++;
        if (verdict.problems.length) {
          tally.wrong++;
          differences++;
          exit1 += verdict.problems.filter((p) => p.startsWith('exit 1')).length;
          problems.push(...verdict.problems.map((p) => `${kind} of ${verdict.target}: ${p}`));
        }
      }
      console.log(`${kind.padEnd(20)} tried ${tally.tried}, refused ${tally.refused}, imported ${tally.imported}, wrong ${tally.wrong}`);
    }
    for (const p of problems.slice(0, 20)) console.log(`  ${p}`);

    // 2. SIGKILL trials: each in a fresh sandbox, killed once at a random moment, then run to its end.
    const inbox = path.join(dir, 'inbox');
    testing.writeCorpus(files, inbox);
    const kills = {};
    for (const [command, n] of [['import', KILLS], ['pipeline', PIPELINE_KILLS]]) {
      if (n === 0) continue;
      const args = command === 'import' ? ['import', inbox, '--json'] : ['pipeline', '--inbox', inbox, '--json'];
      const reference = testing.cliSandbox(outer, { database });
      const ran = await testing.timedRun(reference, args, env);
      if (ran.code !== 0) throw new Error(`the clean ${command} exited ${ran.code}: ${ran.stderr}`);
      const want = await testing.sandboxFingerprint(outer, reference);
      const tally = (kills[command] = { trials: n, killed: 0, survived: 0, cleanSeconds: Math.round(ran.ms / 10) / 100 });
      for (let i = 0; i < n; i++) {
        const s = scope();
        const victim = testing.cliSandbox(s, { database });
        const trials = await testing.killTrials(victim, args, { kills: 1, withinMs: ran.ms, random, env });
        exit1 += trials.finished.filter((c) => c === 1).length;
        const last = await victim.run(args, { env });
        if (last.code === 1) exit1++;
        const got = await testing.sandboxFingerprint(s, victim);
        const diff = testing.fingerprintDifferences(want, got);
        tally.killed += trials.killed;
        if (trials.killed && diff.length === 0 && last.code === 0) tally.survived++;
        differences += diff.length;
        lost += lostRows(want, got);
        if (diff.length) console.log(`  ${command} kill ${i}: ${diff.join('; ')}`);
        await s.end();
      }
      console.log(`${command} killed ${tally.killed} of ${n} runs (clean run ${tally.cleanSeconds} s), ${tally.survived} survived`);
    }

    // 3. Commands at once: two imports, import during groups maintain, two pipelines.
    const races = { runs: 0, exitCodes: {} };
    for (let i = 0; i < RACES; i++) {
      for (const [name, setup, pair, after] of [
        ['two imports', [], [['import', inbox, '--json'], ['import', inbox, '--json']], [['import', inbox, '--json']]],
        ['import during groups maintain', [['import', path.join(dir, 'corpus'), '--json'], ['groups', 'init', '--json']], [['import', inbox, '--json'], ['groups', 'maintain', '--json']], [['import', inbox, '--json'], ['groups', 'maintain', '--json']]],
        ['two pipelines', [], [['pipeline', '--inbox', inbox, '--json'], ['pipeline', '--inbox', inbox, '--json']], [['pipeline', '--inbox', inbox, '--json']]],
      ]) {
        const s = scope();
        const cleanCli = testing.cliSandbox(s, { database });
        for (const args of [...setup, ...after]) if ((await cleanCli.run(args, { env })).code !== 0) throw new Error(`clean ${args.join(' ')} failed`);
        const raced = testing.cliSandbox(s, { database });
        for (const args of setup) await raced.run(args, { env });
        const results = await Promise.all(pair.map((args) => raced.run(args, { env })));
        for (const r of results) races.exitCodes[r.code] = (races.exitCodes[r.code] ?? 0) + 1;
        exit1 += results.filter((r) => r.code === 1).length;
        for (const args of after) if ((await raced.run(args, { env })).code === 1) exit1++;
        const want = await testing.sandboxFingerprint(s, cleanCli);
        const got = await testing.sandboxFingerprint(s, raced);
        const diff = testing.fingerprintDifferences(want, got);
        differences += diff.length;
        lost += lostRows(want, got);
        if (diff.length) console.log(`  ${name}: ${diff.join('; ')}`);
        races.runs++;
        await s.end();
      }
    }
    console.log(`races: ${races.runs} runs, exit codes ${JSON.stringify(races.exitCodes)}`);
    console.log(`clean in-process import of the corpus (baseline): ${cleanSeconds.toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(`lost rows ${lost}, differences from a clean run ${differences}, exit 1 ${exit1}`);
    const mutantsTried = Object.values(classes).reduce((n, c) => n + c.tried, 0);
    const killed = Object.values(kills).reduce((n, k) => n + k.killed, 0);
    const survived = Object.values(kills).reduce((n, k) => n + k.survived, 0);
    return {
      figures: { database, corpus: from, seed: SEED, classes, kills, races, lostRows: lost, differences, exit1, cleanImportSeconds: Math.round(cleanSeconds * 100) / 100, loadAverage: os.loadavg()[0] },
      targets: [
        { description: `${mutantsTried} mutants, each refused or imported as it must be (${mutantsTried - Object.values(classes).reduce((n, c) => n + c.wrong, 0)} right)`, met: Object.values(classes).every((c) => c.wrong === 0) },
        { description: `kills survived ${survived} of ${killed}`, met: survived === killed },
        { description: `lost rows ${lost} = 0`, met: lost === 0 },
        { description: `differences from a clean run ${differences} = 0`, met: differences === 0 },
        { description: `exit 1 ${exit1} times = 0`, met: exit1 === 0 },
      ],
    };
  } finally {
    await outer.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
