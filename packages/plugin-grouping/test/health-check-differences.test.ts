/**
 * The health check compares a member that reads its anchor's rows by its differences alone (its own
 * rows and exclusion marks). These tests hold it to the comparison over everything the member reads:
 * the same counts on random daily scrapes, the same verdicts on a steady day, and no member's whole
 * range read when every member shares its anchor.
 */
import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { compareSharingPairs, comparePairs, type StorePair } from '../src/comparer.js';
import { aggressivePolicy, losslessPolicy } from '../src/retention-policies.js';
import { dateOf, day, writeDays } from './daily-scrapes.js';
import { readsAgainstFiles } from './exactness.js';
import { groupingDatabase, maintain, partition } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Every (store, other store) pair, one list per cutoff: each of the last few days (a comparison names a pair once). */
async function allPairs(knex: Knex, date: string): Promise<StorePair[][]> {
  const stores = ((await knex.raw('select id from stores order by id')).rows as Array<{ id: string | number }>).map((r) => Number(r.id));
  const base = new Date(`${date}T00:00:00Z`).getTime();
  const cutoffs = [0, 1, 2, 3].map((d) => new Date(base - d * 86_400_000).toISOString().slice(0, 10));
  return cutoffs.map((cutoff) => stores.flatMap((a) => stores.filter((b) => b !== a).map((b) => ({ a, b, cutoff }))));
}

/**
 * Compares every pair both ways; throws on the first pair whose counts differ, or that one way
 * compares by sharing where the member does not share (or the other way round). Returns the pairs
 * compared by sharing, and those of them whose shared reads are older than the cutoff.
 */
async function compareBothWays(knex: Knex, pairs: readonly StorePair[], label: string): Promise<{ bySharing: number; staleShare: number }> {
  const sharing = await compareSharingPairs(knex, pairs, 10);
  const full = await comparePairs(knex, pairs, 10, { sharedA: true });
  const rows = (await knex.raw(`select store_id, source_store_id, to_char(scraped_date, 'YYYY-MM-DD') as since from price_sharing`)).rows as Array<{ store_id: string | number; source_store_id: string | number; since: string }>;
  const shares = new Map(rows.map((r) => [Number(r.store_id), { source: Number(r.source_store_id), since: r.since }]));
  let bySharing = 0;
  let staleShare = 0;
  for (const [i, pair] of pairs.entries()) {
    const s = sharing[i];
    const share = shares.get(pair.a);
    if ((s !== undefined) !== (share?.source === pair.b)) throw new Error(`${label}: ${pair.a}→${pair.b} compared by sharing: ${s !== undefined}; shares it: ${share?.source === pair.b}`);
    if (s === undefined) continue;
    bySharing++;
    if (share!.since < pair.cutoff) staleShare++;
    const f = full[i]!;
    if (s.overlap !== f.overlap || s.equal !== f.equal) throw new Error(`${label}: ${pair.a}→${pair.b} since ${pair.cutoff}: by differences ${s.overlap}/${s.equal}, in full ${f.overlap}/${f.equal}`);
  }
  return { bySharing, staleShare };
}

test(`property: a sharing member compared by its differences gets the same overlap and equal counts as over everything it reads (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-differences-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let bySharing = 0;
  let staleShare = 0;
  let withOwnRows = 0;
  let withMarks = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 2, maxLength: 5 }), fc.boolean(), async (days, aggressive) => {
      run++;
      const knex = await groupingDatabase(t);
      const policy = aggressive ? aggressivePolicy : losslessPolicy;
      for (const files of writeDays(dir, `run${run}`, days)) {
        const date = files[0]!.date;
        await importFiles(knex, files.map((f) => f.file));
        // After the import (the state the health check sees) and after the check.
        for (const phase of ['imported', 'maintained']) {
          for (const pairs of await allPairs(knex, date)) {
            const counted = await compareBothWays(knex, pairs, `run ${run}, ${date} ${phase}`);
            bySharing += counted.bySharing;
            staleShare += counted.staleShare;
          }
          const stored = (await knex.raw(
            `select (select count(*) from price_sharing sh where exists (select 1 from prices p where p.store_id = sh.store_id))::int as own,
                    (select count(*) from price_exclusions)::int as marks`,
          )).rows[0] as { own: number; marks: number };
          withOwnRows += stored.own;
          withMarks += stored.marks;
          if (phase === 'imported') await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10, policy });
        }
      }
      return true;
    }),
    { numRuns: 10, seed: 1414, endOnFailure: true },
  );
  // The runs reached every term of the difference: shared reads (current or not), members' own rows, exclusion marks.
  t.true(bySharing > 100, `${bySharing} pairs compared by sharing`);
  t.true(staleShare > 0, `${staleShare} pairs whose shared reads are older than the cutoff`);
  t.true(withOwnRows > 0, `${withOwnRows} sharing members with own rows`);
  t.true(withMarks > 0, `${withMarks} exclusion marks`);
  t.log(`${run} runs, ${bySharing} pairs by sharing (${staleShare} with shared reads older than the cutoff), ${withOwnRows} sharing stores with own rows, ${withMarks} marks`);
});

const PRODUCTS = 200;

/** A scrape file of one store: products `0..PRODUCTS-1` that `listed` keeps, at `cents(p)`. */
function scrape(dir: string, store: string, date: string, cents: (p: number) => number, listed: (p: number) => boolean = () => true): string {
  const lines: string[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    if (!listed(p)) continue;
    lines.push(JSON.stringify({ product: { sku: `P${p}`, name: `Product ${p} ${100 + p}g`, brand: 'Brand', price_current: cents(p) / 100, price_was: null, is_on_special: false }, metadata: { company: 'aldi', store_id: store, store_name: `Store ${store}`, scraped_date: date } }));
  }
  const file = path.join(dir, `${store}-${date}.jsonl.gz`);
  fs.writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
  return file;
}

test(`a steady day compares every sharing member by its differences: a diverging member is still ejected, a member with a narrower or wider range than the anchor is still judged on its common products, and every store reads its file (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-steady-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const knex = await groupingDatabase(t);
  const base = (p: number) => 150 + 10 * p;
  const [d1, d2] = [dateOf(0), dateOf(1)];
  // Day 1: the anchor A and members B, C, D, E at the same prices; D lists 150 of the 200 products.
  const day1 = [scrape(dir, 'A', d1, base), scrape(dir, 'B', d1, base), scrape(dir, 'C', d1, base), scrape(dir, 'D', d1, base, (p) => p < 150), scrape(dir, 'E', d1, base)];
  await importFiles(knex, day1);
  await maintain(knex, { asOf: d1, now: new Date(`${d1}T12:00:00Z`) });
  t.is((await partition(knex)).length, 1, 'one group');
  const id = async (code: string) => Number((await knex('stores').where({ store_id: code }).first('id')).id);
  const [a, b, c, d, e] = [await id('A'), await id('B'), await id('C'), await id('D'), await id('E')];
  t.is(Number((await knex('store_groups').first('anchor_store_id')).anchor_store_id), a);
  t.deepEqual(((await knex('price_sharing').orderBy('store_id')) as Array<{ store_id: string | number }>).map((r) => Number(r.store_id)), [b, c, d, e], 'every member reads the anchor');

  // Day 2: the chain changes 5 prices everywhere and drops 10 products. B prices 38 of its 190
  // products 10% dearer (80% equal); C lists 5 products fewer than the anchor, at its prices; D lists
  // its 150 and 10 new ones the anchor does not sell; E changes 3 prices of its own (98.4% equal).
  const moved = (p: number) => base(p) + (p % 40 === 0 ? 5 : 0);
  const day2 = [
    scrape(dir, 'A', d2, moved, (p) => p < 190),
    scrape(dir, 'B', d2, (p) => (p % 5 === 0 ? Math.round(moved(p) * 1.1) : moved(p)), (p) => p < 190),
    scrape(dir, 'C', d2, moved, (p) => p < 185),
    scrape(dir, 'D', d2, moved, (p) => p < 150 || p >= 190),
    scrape(dir, 'E', d2, (p) => (p === 7 || p === 8 || p === 9 ? moved(p) + 1 : moved(p)), (p) => p < 190),
  ];
  await importFiles(knex, day2);
  t.deepEqual((await readsAgainstFiles(knex, day2)).mismatches.slice(0, 5), [], 'read exactly before the check');
  // Every term of the difference at work: B's and E's own rows, C's shared reads alone, D's
  // exclusion marks (150–189, sold by the anchor) and its own rows of products the anchor lacks.
  const window = dateOf(-2);
  const byDifferences = await compareSharingPairs(knex, [b, c, d, e].map((m) => ({ a: m, b: a, cutoff: window })), 50);
  t.deepEqual(byDifferences.map((x) => x && [x.overlap, x.equal]), [[190, 152], [185, 185], [150, 150], [190, 187]]);
  const report = await maintain(knex, { asOf: d2, now: new Date(`${d2}T12:00:00Z`) });
  t.like(report.healthCheck, { judged: 4, comparisons: 4, comparedInFull: 0, healthy: 3, ejected: 1, inconclusive: 0 });
  t.deepEqual(report.ejections.map((x) => [x.storeId, x.overlap, x.equal]), [[b, 190, 152]], 'B: 38 of its 190 common products differ');
  t.deepEqual(await partition(knex), [[a, c, d, e], [b]].sort((x, y) => x[0]! - y[0]!));
  t.deepEqual((await readsAgainstFiles(knex, day2)).mismatches.slice(0, 5), [], 'every store reads its file after the check');
  // The counts the check used are those of the comparison over everything each member read.
  const full = await comparePairs(knex, [c, d, e].map((m) => ({ a: m, b: a, cutoff: window })), 50, { sharedA: true });
  t.deepEqual(full.map((x) => [x.overlap, x.equal]), [[185, 185], [150, 150], [190, 187]]);
});
