/**
 * SIGKILL trials, small: `trolley import` and `trolley pipeline` over trimmed real files, killed
 * (the whole process group, no chance to clean up) at random moments of a run, then run to their
 * end: the database equals a clean run's, by a natural-key fingerprint of every table.
 * `npm run bench -- chaos` kills many more times.
 */
import test from 'ava';
import path from 'node:path';
import { cliSandbox, fingerprintDifferences, killTrials, realFixture, sandboxFingerprint, seededRandom, timedRun, writeCorpus } from '../../src/testing/index.js';
import { tempDir } from '../import/scrape-fixtures.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const KILL_SOURCES = [
  'aldi/aldi-aldi-store-g147-g147-2025-09-09.jsonl.gz',
  'aldi/aldi-aldi-store-g147-g147-2025-09-12.jsonl.gz',
  'aldi/aldi-aldi-store-g147-g147-2025-09-22.jsonl.gz',
  'aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz',
  'aldi/aldi-blair-athol-g457-2025-09-19.jsonl.gz',
  'aldi/aldi-edgecliff-g467-2025-09-19.jsonl.gz',
  'iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz',
].map(realFixture);
const env = { TROLLEY_LOG_LEVEL: 'warn' };

for (const [command, kills] of [
  ['import', 3],
  ['pipeline', 1],
] as const) {
  test(`${command} killed (SIGKILL) at ${kills} random moments, then run to its end: the database equals a clean run's (${database})`, async (t) => {
    const inbox = path.join(tempDir(t), 'inbox');
    writeCorpus(KILL_SOURCES, inbox, 40);
    const args = command === 'import' ? ['import', inbox, '--json'] : ['pipeline', '--inbox', inbox, '--json'];

    const clean = cliSandbox(t, { database });
    const reference = await timedRun(clean, args, env);
    t.is(reference.code, 0, reference.stderr);
    const want = await sandboxFingerprint(t, clean);

    const victim = cliSandbox(t, { database });
    const trials = await killTrials(victim, args, { kills, withinMs: reference.ms, random: seededRandom(Number(process.env.CHAOS_SEED ?? 19)), env });
    t.log(`${trials.killed} of ${kills} runs killed (a clean run took ${Math.round(reference.ms)} ms); exits of the others: ${trials.finished.join(', ') || 'none'}`);
    t.true(trials.killed >= 1, 'at least one run was killed before it ended');
    t.false(trials.finished.includes(1), 'no run exits 1');
    const last = await victim.run(args, { env });
    t.is(last.code, 0, last.stderr);
    t.deepEqual(fingerprintDifferences(want, await sandboxFingerprint(t, victim)), []);
  });
}
