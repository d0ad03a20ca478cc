import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { fingerprint, naturalRows } from '@trolley/core/testing';
import { day, historyDifferences, QUIRKS, STORES, PRODUCTS, writeDays, type Quirk } from './daily-scrapes.js';
import { groupingDatabase, maintain } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
/** True three times in four. */
const mostly = fc.integer({ min: 0, max: 3 }).map((x) => x > 0);

/** Lines written another way now and then (./daily-scrapes.ts): the bytes differ, the meaning may not. */
const quirks = fc.array(fc.record({ day: fc.nat(6), store: fc.nat(STORES - 1), product: fc.nat(PRODUCTS - 1), kind: fc.constantFrom(...QUIRKS) }), { maxLength: 10 }) as fc.Arbitrary<Quirk[]>;

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
  let fromMembers = 0;
  let unparsed = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 4, maxLength: 7 }), mostly, mostly, quirks, async (days, grouped, fileByFile, odd) => {
      run++;
      const full = await groupingDatabase(t);
      const digested = await groupingDatabase(t);
      const written = writeDays(dir, `run${run}`, days, odd);
      for (const files of written) {
        const date = files[0]!.date;
        const paths = files.map((f) => f.file);
        const members = new Set(((await digested.raw(`select s.store_id from price_sharing sh join stores s on s.id = sh.store_id`)).rows as Array<{ store_id: string }>).map((r) => r.store_id));
        // File by file, a member's batch comes after its anchor's (in one batch, a member whose anchor's
        // file is in it goes the full path). Both sides batch alike: how batches fall changes the
        // dates stored on a member's own rows (never what it reads), and that is not the digest's doing.
        const batching = fileByFile ? { batchRows: 1 } : {};
        const plain = await importFiles(full, paths, { digest: false, ...batching });
        const reports = await importFiles(digested, paths, { digest: true, ...batching });
        fromDigest += reports.reduce((n, r) => n + (r.unchangedInDigest ?? 0), 0);
        unparsed += reports.reduce((n, r) => n + (r.unparsedInDigest ?? 0), 0);
        fromMembers += reports.filter((r) => members.has(r.store!)).reduce((n, r) => n + (r.unchangedInDigest ?? 0), 0);
        const strip = (r: (typeof reports)[number]) => ({ ...r, seconds: 0, unchangedInDigest: 0, unparsedInDigest: 0 });
        if (!isDeepStrictEqual(reports.map(strip), plain.map(strip))) throw new Error(`${date}: the reports differ: ${JSON.stringify(plain.map(strip))} vs ${JSON.stringify(reports.map(strip))}`);
        if (grouped) {
          for (const knex of [full, digested]) await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10 });
        }
        const [a, b] = [await stored(full), await stored(digested)];
        const differ = Object.keys(a).filter((table) => a[table] !== b[table]);
        if (differ.length > 0) {
          const [x, y] = [await naturalRows(full, differ[0]!), await naturalRows(digested, differ[0]!)];
          const only = (p: string[], q: string[]) => p.filter((r) => !q.includes(r)).slice(0, 4).join(' ');
          throw new Error(`${date}: ${differ.join(', ')} differ with the digest; ${differ[0]} full path only: ${only(x, y)}; digest only: ${only(y, x)}`);
        }
      }
      const differ = await historyDifferences(digested, written.flat().map((f) => f.file));
      if (differ.length > 0) throw new Error(`${differ.length} histories differ, e.g. ${differ.slice(0, 3).join(' | ')}`);
      return true;
    }),
    { numRuns: 12, seed: 14, endOnFailure: true },
  );
  // The digest did the work on many lines: steady days were not all sent down the full path.
  t.true(fromDigest > run * 24, `${fromDigest} products taken from digests over ${run} runs`);
  // Most of them were recognised from their bytes, never parsed.
  t.true(unparsed > fromDigest / 2, `${unparsed} of ${fromDigest} products from digests were never parsed`);
  // Stores that read their anchor's rows took products from their digests too.
  t.true(fromMembers > 24, `${fromMembers} products taken from digests by stores sharing their anchor's rows`);
});
