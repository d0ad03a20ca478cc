import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFiles } from '@trolley/core';
import { day, historyDifferences, writeDays } from './daily-scrapes.js';
import { groupingDatabase, maintain } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

test(`property: over random daily scrapes with joins, ejections and merges, each store's history read equals its naive per-store history (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-history-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let shared = 0;
  let ended = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 3, maxLength: 6 }), async (days) => {
      run++;
      const knex = await groupingDatabase(t);
      const written = writeDays(dir, `run${run}`, days);
      for (const files of written) {
        const date = files[0]!.date;
        await importFiles(
          knex,
          files.map((f) => f.file),
        );
        await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10 });
      }
      const differ = await historyDifferences(
        knex,
        written.flat().map((f) => f.file),
      );
      if (differ.length > 0) throw new Error(`${differ.length} histories differ, e.g. ${differ.slice(0, 3).join(' | ')}`);
      const periods = (await knex.raw(`select count(*)::int as n, count(to_date)::int as ended from history_periods`)).rows[0] as { n: number; ended: number };
      if (periods.n > 0) shared++;
      if (periods.ended > 0) ended++;
      return true;
    }),
    { numRuns: 8, seed: 14, endOnFailure: true },
  );
  // The runs exercised sharing: members read their anchor's history, and some stopped or moved.
  t.true(shared >= run / 2, `${shared} of ${run} runs shared history`);
  t.true(ended >= 1, `${ended} runs ended a period (an ejection or a merge)`);
});
