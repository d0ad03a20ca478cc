import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { importFiles } from '@trolley/core';
import { cliSandbox, installWriteCounter, resetWriteCounter, rowsWritten } from '@trolley/core/testing';
import { readsAgainstFiles } from './exactness.js';
import { changedPrices } from './price-changes.js';
import { groupingDatabase, maintain } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Copies of `files` dated `to` instead of `from`: the same prices scraped on another day. */
function redated(files: readonly string[], from: string, to: string, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return files.map((file) => {
    const text = gunzipSync(fs.readFileSync(file)).toString('utf8').replaceAll(`"scraped_date": "${from}"`, `"scraped_date": "${to}"`);
    const copy = path.join(dir, path.basename(file).replace(from, to));
    fs.writeFileSync(copy, gzipSync(text));
    return copy;
  });
}

test(`a day whose prices equal the day before, or the same day again, writes no price row for any store, anchors included; a day with k changed prices writes at most 3k; reads keep each store's own date (${database})`, async (t) => {
  const cli = cliSandbox(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-unchanged-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await cli.run(['sample', '--out', dir, '--stores', '16', '--products', '250', '--companies', 'aldi,coles', '--zones', '2', '--rogue', '1', '--narrow', '2', '--days', '3', '--seed', '11', '--json']);
  t.is(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => path.join(dir, f));
  const days = [...new Set(files.map((f) => f.slice(-19, -9)))].sort();
  const ofDay = (day: string) => files.filter((f) => f.includes(day));
  const knex = await groupingDatabase(t);
  await installWriteCounter(knex);
  const exact = async (dayFiles: readonly string[], when: string) => {
    const { mismatches, checked } = await readsAgainstFiles(knex, dayFiles);
    t.deepEqual(mismatches.slice(0, 5), [], `${when}: ${mismatches.length} mismatches`);
    t.true(checked > 2_000, `${checked} store × product pairs checked`);
  };

  await importFiles(knex, ofDay(days[0]!));
  await maintain(knex, { asOf: days[0], now: new Date(`${days[0]}T12:00:00Z`) });
  t.true(Number((await knex.raw('select count(*)::int as n from price_sharing')).rows[0].n) >= 6, 'members share their anchors’ rows');
  const anchors = Number((await knex.raw('select count(distinct anchor_store_id)::int as n from store_groups')).rows[0].n);
  t.true(anchors >= 4);

  // Day 2 repeats day 1's prices: nothing is written, by the import or by groups maintain.
  const unchanged = redated(ofDay(days[0]!), days[0]!, days[1]!, path.join(dir, 'unchanged'));
  await resetWriteCounter(knex);
  const reports = await importFiles(knex, unchanged);
  t.true(reports.every((x) => x.mode === 'full'), 'every file is a full sync');
  t.deepEqual(await rowsWritten(knex), { total: 0, by: {} }, 'the import of an unchanged day writes no price row');
  await exact(unchanged, 'after the unchanged day, every store reads its new date');
  await maintain(knex, { asOf: days[1], now: new Date(`${days[1]}T12:00:00Z`) });
  t.deepEqual(await rowsWritten(knex), { total: 0, by: {} }, 'nor does groups maintain after it');
  await exact(unchanged, 'after groups maintain');

  // The same day again: stale, nothing written.
  t.true((await importFiles(knex, unchanged)).every((x) => x.mode === 'stale'));
  t.is((await rowsWritten(knex)).total, 0);

  // Day 3: the sample's own changes (against day 1's prices, which the database holds).
  const changed = await changedPrices(ofDay(days[0]!), ofDay(days[2]!));
  t.true(changed > 50, `${changed} prices changed`);
  await importFiles(knex, ofDay(days[2]!));
  await maintain(knex, { asOf: days[2], now: new Date(`${days[2]}T12:00:00Z`) });
  const written = await rowsWritten(knex);
  t.true(written.total > 0 && written.total <= 3 * changed, `${written.total} rows written for ${changed} changed prices: ${JSON.stringify(written.by)}`);
  await exact(ofDay(days[2]!), 'after a day of changes');
});
