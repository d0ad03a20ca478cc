import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { cliSandbox, naturalRows } from '@trolley/core/testing';
import { readsAgainstFiles } from './exactness.js';
import { groupingDatabase, maintain } from './helpers.js';
import { readFirstRecords } from './scrape-records.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** The tables that hold price facts or say whose rows a store reads. */
const PRICE_TABLES = ['prices', 'price_history', 'price_history_skips', 'price_exclusions', 'price_sharing', 'history_periods'];

async function priceContent(knex: Knex): Promise<Record<string, string[]>> {
  const content: Record<string, string[]> = {};
  for (const table of PRICE_TABLES) content[table] = await naturalRows(knex, table);
  return content;
}

/** Makes every price row written for `stores` (`company:store_id`) take a few milliseconds longer. */
async function slowWritesOf(knex: Knex, stores: readonly string[]): Promise<void> {
  const ids = (await knex.raw(`select s.id from stores s join companies c on c.id = s.company_id where c.name || ':' || s.store_id = any(?)`, [[...stores]])).rows as Array<{ id: string | number }>;
  await knex.raw(`create function slow_write() returns trigger language plpgsql as $$ begin perform pg_sleep(0.005); return new; end $$`);
  await knex.raw(`create trigger slow_write before insert or update on prices for each row when (new.store_id in (${ids.map((r) => Number(r.id)).join(', ')})) execute function slow_write()`);
}

/** Rows of `got` not in `expected` (`+`) and the reverse (`-`). */
function difference(got: readonly string[], expected: readonly string[]): string[] {
  const want = new Set(expected);
  const have = new Set(got);
  return [...got.filter((row) => !want.has(row)).map((row) => `+ ${row}`), ...expected.filter((row) => !have.has(row)).map((row) => `- ${row}`)];
}

/** A fixed permutation of `items` (a small linear congruential generator: the same every run). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

test(`a day's import onto the same data stores the same rows whatever the order of its files and however its concurrent batches commit: members' files go after their anchor's (${database})`, async (t) => {
  const cli = cliSandbox(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-import-order-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await cli.run(['sample', '--out', dir, '--stores', '24', '--products', '200', '--companies', 'aldi,coles', '--zones', '2', '--rogue', '1', '--narrow', '2', '--days', '2', '--seed', '5', '--json']);
  t.is(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => path.join(dir, f));
  const [day1, day2] = [...new Set(files.map((f) => f.slice(-19, -9)))].sort();
  const ofDay = (day: string) => files.filter((f) => f.includes(day));

  /** A fresh database holding day 1, grouped. */
  const dayOne = async () => {
    const knex = await groupingDatabase(t);
    await importFiles(knex, ofDay(day1!));
    await maintain(knex, { asOf: day1, now: new Date(`${day1}T12:00:00Z`) });
    return knex;
  };

  // The reference: each anchor's file first, one file at a time, then every other file.
  const reference = await dayOne();
  const keyOf = (column: string) => `(select c.name || ':' || s.store_id from stores s join companies c on c.id = s.company_id where s.id = ${column})`;
  const members = (await reference.raw(`select ${keyOf('m.store_id')} as store, ${keyOf('g.anchor_store_id')} as anchor from store_group_members m join store_groups g on g.id = m.group_id`))
    .rows as Array<{ store: string; anchor: string }>;
  const anchorOf = new Map(members.map((m) => [m.store, m.anchor]));
  const anchors = [...new Set(anchorOf.values())];
  t.true(anchors.length >= 4, `${anchors.length} groups`);
  const shared = Number((await reference.raw('select count(*)::int as n from price_sharing')).rows[0].n);
  t.true(shared >= 12, `${shared} members share their anchor's rows`);
  const storeOf = new Map<string, string>();
  for (const file of ofDay(day2!)) {
    const head = await readFirstRecords(file);
    storeOf.set(file, `${head.company}:${head.storeId}`);
  }
  const anchorFiles = ofDay(day2!).filter((f) => anchors.includes(storeOf.get(f)!));
  t.is(anchorFiles.length, anchors.length, 'every anchor has a day-2 file');
  await importFiles(reference, anchorFiles, { batchRows: 1 });
  await importFiles(reference, ofDay(day2!).filter((f) => !anchorFiles.includes(f)), { batchRows: 1 });
  const expected = await priceContent(reference);
  t.true(expected.price_history!.length > 0 && expected.price_exclusions!.length > 0, 'the day stores history and exclusion marks');

  // The anchors' files, then the members of the last anchor first: a member's batch comes right
  // after its anchor's, and with two batches at a time would overlap it without waiting for it.
  const membersOf = (anchor: string) => ofDay(day2!).filter((f) => storeOf.get(f) !== anchor && anchorOf.get(storeOf.get(f)!) === anchor);
  const tight = [...anchorFiles, ...[...anchors].reverse().flatMap(membersOf)];
  tight.push(...ofDay(day2!).filter((f) => !tight.includes(f)));

  // The same import in one run, two batches at a time, the files in five orders (members first among
  // them): the same rows every time, and every store reads its file.
  const runs = [
    { order: ofDay(day2!), batchRows: 400 },
    { order: [...ofDay(day2!)].reverse(), batchRows: 400 },
    { order: shuffled(ofDay(day2!), 7), batchRows: 400 },
    { order: shuffled(ofDay(day2!), 11), batchRows: 400 },
    { order: tight, batchRows: 1, slowAnchors: true },
  ];
  for (const [i, { order, batchRows, slowAnchors }] of runs.entries()) {
    const knex = await dayOne();
    // Anchors' batches made slow (a pause per row they write): a member's batch started beside its
    // anchor's would read the anchor's rows of the day before.
    if (slowAnchors) await slowWritesOf(knex, anchors);
    const reports = await importFiles(knex, order, { jobs: 2, batchRows });
    t.true(reports.every((x) => x.mode === 'full'), `order ${i}: every file imported`);
    t.deepEqual(reports.map((x) => x.file), order, `order ${i}: reports in the order of the files given`);
    const got = await priceContent(knex);
    for (const table of PRICE_TABLES) {
      const differences = difference(got[table]!, expected[table]!);
      t.deepEqual(differences.slice(0, 6), [], `order ${i}: ${table} holds ${differences.length} row(s) more or fewer than the reference (+ extra, - missing)`);
    }
    t.deepEqual((await readsAgainstFiles(knex, ofDay(day2!))).mismatches.slice(0, 5), [], `order ${i}: every store reads its day-2 file`);
  }
});
