import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '@trolley/core';
import { cliSandbox } from '@trolley/core/testing';
import { readsAgainstFiles, storedRows } from './exactness.js';
import { groupingDatabase, maintain, partition } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/aldi/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, `aldi-${name}.jsonl.gz`);
const DAY_ONE = ['albion-park-g501-2025-09-19', 'blair-athol-g457-2025-09-19', 'cowra-g439-2025-09-19', 'edgecliff-g467-2025-09-19', 'aldi-store-g147-g147-2025-09-12'].map(fixture);
const G147_LATER = fixture('aldi-store-g147-g147-2025-09-22');
const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

test(`real Aldi stores: after import and after groups maintain, every store reads exactly its last file — products, values and its own date (${database})`, async (t) => {
  const knex = await groupingDatabase(t);
  await importFiles(knex, DAY_ONE);
  const exact = async (files: readonly string[], when: string) => {
    const { mismatches, checked } = await readsAgainstFiles(knex, files);
    t.deepEqual(mismatches.slice(0, 5), [], `${when}: ${mismatches.length} mismatches`);
    t.true(checked > 1_500, `${checked} store × product pairs`);
  };
  await exact(DAY_ONE, 'after the import');
  const observed = (await storedRows(knex)).prices;
  const report = await maintain(knex, { asOf: '2025-09-19' });
  t.true(report.merge.merges >= 3, `${report.merge.merges} merges`);
  t.true((await partition(knex)).some((g) => g.length >= 4));
  await exact(DAY_ONE, 'after groups maintain');
  const stored = await storedRows(knex);
  t.true(stored.sharing >= 3, `${stored.sharing} stores share their anchor's rows`);
  t.true(stored.prices + stored.exclusions < observed * 0.6, `${stored.prices} rows + ${stored.exclusions} marks for ${observed} observed`);

  // A later scrape of one store: read exactly after the import, and after the next maintain.
  const later = [...DAY_ONE.slice(0, 4), G147_LATER];
  await importFiles(knex, [G147_LATER]);
  await exact(later, 'after importing a later scrape');
  await maintain(knex, { asOf: '2025-09-22' });
  await exact(later, 'after the second maintain');
});

test(`synthetic zones where some stores sell a narrower range: every store reads exactly its last file after each import and each maintain (${database})`, async (t) => {
  const cli = cliSandbox(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-narrow-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await cli.run(['sample', '--out', dir, '--stores', '24', '--products', '300', '--companies', 'aldi', '--zones', '2', '--rogue', '1', '--narrow', '6', '--days', '3', '--seed', '7', '--json']);
  t.is(r.code, 0, r.stderr);
  const sample = JSON.parse(r.stdout) as { files: string[]; dates: { from: string; to: string }; storeList: Array<{ range: number }> };
  t.is(sample.storeList.filter((s) => s.range < 1).length, 6);
  const days = [...new Set(sample.files.map((f) => f.slice(-19, -9)))].sort();
  const knex = await groupingDatabase(t);
  let shared = 0;
  for (const day of days) {
    const files = sample.files.filter((f) => f.includes(day)).map((f) => path.join(dir, f));
    await importFiles(knex, files);
    const afterImport = await readsAgainstFiles(knex, files);
    t.deepEqual(afterImport.mismatches.slice(0, 5), [], `${day} after the import: ${afterImport.mismatches.length} mismatches`);
    await maintain(knex, { asOf: day, now: new Date(`${day}T12:00:00Z`) });
    const afterMaintain = await readsAgainstFiles(knex, files);
    t.deepEqual(afterMaintain.mismatches.slice(0, 5), [], `${day} after groups maintain: ${afterMaintain.mismatches.length} mismatches`);
    shared = Math.max(shared, (await storedRows(knex)).sharing);
  }
  t.true(shared >= 10, `${shared} stores shared their anchor's rows`);
});
