import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { fingerprint } from '@trolley/core/testing';
import { day, historyDifferences, writeDays } from './daily-scrapes.js';
import { groupingDatabase, maintain } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Everything stored but the digests themselves (a cache, present on one side only). */
async function stored(knex: Knex): Promise<Record<string, string>> {
  const { store_digests: _digests, ...rest } = await fingerprint(knex);
  return rest;
}

test(`property: over random daily scrapes with groups maintained, importing with store digests stores exactly what the full path stores, and histories read as the naive model (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-digest-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let fromDigest = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 3, maxLength: 6 }), fc.boolean(), async (days, grouped) => {
      run++;
      const full = await groupingDatabase(t);
      const digested = await groupingDatabase(t);
      const written = writeDays(dir, `run${run}`, days);
      for (const files of written) {
        const date = files[0]!.date;
        const paths = files.map((f) => f.file);
        const plain = await importFiles(full, paths);
        const reports = await importFiles(digested, paths, { digest: true });
        fromDigest += reports.reduce((n, r) => n + (r.unchangedInDigest ?? 0), 0);
        const strip = (r: (typeof reports)[number]) => ({ ...r, seconds: 0, unchangedInDigest: 0 });
        if (!isDeepStrictEqual(reports.map(strip), plain.map(strip))) throw new Error(`${date}: the reports differ: ${JSON.stringify(plain.map(strip))} vs ${JSON.stringify(reports.map(strip))}`);
        if (grouped) {
          for (const knex of [full, digested]) await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10 });
        }
        const [a, b] = [await stored(full), await stored(digested)];
        const differ = Object.keys(a).filter((table) => a[table] !== b[table]);
        if (differ.length > 0) throw new Error(`${date}: ${differ.join(', ')} differ with the digest`);
      }
      const differ = await historyDifferences(digested, written.flat().map((f) => f.file));
      if (differ.length > 0) throw new Error(`${differ.length} histories differ, e.g. ${differ.slice(0, 3).join(' | ')}`);
      return true;
    }),
    { numRuns: 8, seed: 14, endOnFailure: true },
  );
  // The digest did the work on many lines: steady days were not all sent down the full path.
  t.true(fromDigest > run * 24, `${fromDigest} products taken from digests over ${run} runs`);
});
