/**
 * A file of a store that fails — its lines, or the database refusing its values — holds back the
 * store's later files in the run, so that nothing is ever imported past it: once it is fixed or
 * removed, the next run imports the held files in date order.
 */
import test from 'ava';
import fs from 'node:fs';
import type { Knex } from 'knex';
import { importFiles } from '../../src/import/import-files.js';
import { orderByScrapedDate } from '../../src/import/file-order.js';
import { importTotals } from '../../src/import/import-totals.js';
import { testDatabase, cliSandbox, sandboxDatabase } from '../../src/testing/index.js';
import { line, tempDir, writeScrape } from './scrape-fixtures.js';

/** `Poison` stands for any value only the database refuses: a check constraint added for the test. */
async function refusePoison(knex: Knex): Promise<void> {
  await knex.raw(`alter table products add constraint test_no_poison check (name not like '%Poison%')`);
}

function day(dir: string, store: string, d: number, extra: string[] = []): string {
  const lines = Array.from({ length: 5 }, (_, i) => line({ sku: `P${i}`, name: `Product ${i} 1kg`, price_current: d + i / 10 }, { store_id: store, scraped_date: `2026-01-0${d}` }));
  return writeScrape(dir, `${store}-${d}.jsonl`, [...lines, ...extra]);
}

const poison = (store: string, d: number) => line({ sku: 'X', name: 'Poison 1kg', price_current: 1 }, { store_id: store, scraped_date: `2026-01-0${d}` });

for (const [what, bad] of [
  ['the database refuses a value', (store: string, d: number) => [poison(store, d)]],
  ['a line does not check', () => ['{"product": ']],
] as const) {
  for (const batchRows of [1, 50_000]) {
    test(`when ${what} (batch rows ${batchRows}), the later files of that store are held back, other stores go on, and the next run imports them in order`, async (t) => {
      const { knex } = await testDatabase(t);
      await refusePoison(knex);
      const dir = tempDir(t);
      const files = await orderByScrapedDate([day(dir, 'G1', 1), day(dir, 'G1', 2, bad('G1', 2)), day(dir, 'G1', 3), day(dir, 'G1', 4), day(dir, 'G2', 1), day(dir, 'G2', 2), day(dir, 'G2', 3)]);
      const reports = await importFiles(knex, files, { jobs: 2, batchRows });
      const mode = (name: string) => reports.find((r) => r.file.endsWith(name))!.mode;
      t.deepEqual(
        ['G1-1', 'G1-2', 'G1-3', 'G1-4', 'G2-1', 'G2-2', 'G2-3'].map((n) => mode(`${n}.jsonl`)),
        ['full', 'failed', 'held', 'held', 'full', 'full', 'full'],
      );
      const failed = reports.find((r) => r.mode === 'failed')!;
      t.regex(failed.message!, what.startsWith('the database') ? /^G1-2\.jsonl was refused by the database \(.*test_no_poison.*\); fix or remove the file and import again\.$/ : /^G1-2\.jsonl line 6 is not JSON/);
      const held = reports.find((r) => r.file.endsWith('G1-3.jsonl'))!;
      t.is(held.message, 'G1-3.jsonl was held back: an earlier file of aldi store G1 (G1-2.jsonl) failed in this run; fix or remove that file and import again, and this one follows in date order.');
      t.like(importTotals(reports), { imported: 4, failed: 1, held: 2, stale: 0 });
      const last = async () => (await knex.raw(`select store_id, last_scraped_date::text as d from stores order by store_id`)).rows;
      t.deepEqual(await last(), [{ store_id: 'G1', d: '2026-01-01' }, { store_id: 'G2', d: '2026-01-03' }]);

      // The same run again: the same verdicts, nothing past the bad file.
      const again = await importFiles(knex, files, { jobs: 2, batchRows });
      t.like(importTotals(again), { imported: 0, failed: 1, held: 2, stale: 4 });

      // The bad file removed: the held files follow, in date order.
      fs.rmSync(files.find((f) => f.endsWith('G1-2.jsonl'))!);
      const fixed = await importFiles(knex, files.filter((f) => fs.existsSync(f)), { jobs: 2, batchRows });
      t.like(importTotals(fixed), { imported: 2, failed: 0, held: 0, stale: 4 });
      t.deepEqual(await last(), [{ store_id: 'G1', d: '2026-01-04' }, { store_id: 'G2', d: '2026-01-03' }]);
      t.is((await knex.raw(`select count(*)::int as n from imported_files f join stores s on s.id = f.store_id where s.store_id = 'G1'`)).rows[0].n, 3);
    });
  }
}

test('import exits 3 for a file the database refuses, names the file, and holds back the later one', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  t.is((await cli.run(['db', 'migrate'])).code, 0);
  const db = await sandboxDatabase(t, cli);
  await refusePoison(await db.knex());
  await db.close();
  day(dir, 'G1', 1);
  day(dir, 'G1', 2, [poison('G1', 2)]);
  day(dir, 'G1', 3);
  const result = await cli.run(['import', dir, '--json']);
  t.is(result.code, 3, result.stderr);
  const json = JSON.parse(result.stdout) as { files: Array<{ mode: string; message?: string }>; totals: { held: number; failed: number } };
  t.deepEqual(json.files.map((f) => f.mode), ['full', 'failed', 'held']);
  t.like(json.totals, { held: 1, failed: 1 });
  t.notRegex(result.stderr, /insert into|select /i, 'no SQL statement in what the user reads');
});

test('a file refused for bytes that are not UTF-8 still names its store, so its later files are held back (the fuzzer found them imported past it)', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const bad = day(dir, 'G1', 2);
  // The bad bytes in the last line: the first lines name the store, but they come in the same chunk.
  fs.writeFileSync(bad, Buffer.concat([fs.readFileSync(bad), Buffer.from('{"product": {"name": "'), Buffer.from([0xff]), Buffer.from('"}}\n')]));
  const files = await orderByScrapedDate([day(dir, 'G1', 1), bad, day(dir, 'G1', 3)]);
  const reports = await importFiles(knex, files, { jobs: 1 });
  t.deepEqual(reports.map((r) => r.mode), ['full', 'failed', 'held']);
  t.regex(reports[1]!.message!, /^G1-2\.jsonl line 6 is not valid UTF-8/);
});

test('a file no line of which can be read (a broken gzip) names no store, yet holds back the later days of its series (its name but for the date)', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const dated = (store: string, d: number) => {
    const lines = Array.from({ length: 5 }, (_, i) => line({ sku: `P${i}`, name: `Product ${i} 1kg`, price_current: d + i / 10 }, { store_id: store, scraped_date: `2026-01-0${d}` }));
    return writeScrape(dir, `aldi-town-${store.toLowerCase()}-2026-01-0${d}.jsonl`, lines);
  };
  const broken = `${dir}/aldi-town-g1-2026-01-02.jsonl.gz`;
  fs.writeFileSync(broken, Buffer.from('\x1f\x8b\x08\x00 this is not the rest of a gzip file', 'latin1'));
  const files = await orderByScrapedDate([dated('G1', 1), broken, dated('G1', 3), dated('G1', 4), dated('G2', 1), dated('G2', 2)]);
  const reports = await importFiles(knex, files, { jobs: 2 });
  const mode = (name: string) => reports.find((r) => r.file.endsWith(name))!.mode;
  t.deepEqual(
    ['g1-2026-01-01.jsonl', 'g1-2026-01-02.jsonl.gz', 'g1-2026-01-03.jsonl', 'g1-2026-01-04.jsonl', 'g2-2026-01-01.jsonl', 'g2-2026-01-02.jsonl'].map((n) => mode(n)),
    ['full', 'failed', 'held', 'held', 'full', 'full'],
  );
  t.regex(reports.find((r) => r.file.endsWith('g1-2026-01-03.jsonl'))!.message!, /^aldi-town-g1-2026-01-03\.jsonl was held back: an earlier file of aldi store G1 \(aldi-town-g1-2026-01-02\.jsonl\.gz\) failed in this run/);
  const last = async () => (await knex.raw(`select store_id, last_scraped_date::text as d from stores order by store_id`)).rows;
  t.deepEqual(await last(), [{ store_id: 'G1', d: '2026-01-01' }, { store_id: 'G2', d: '2026-01-02' }]);

  // The broken file removed: days 3 and 4 follow, in order.
  fs.rmSync(broken);
  const fixed = await importFiles(knex, files.filter((f) => fs.existsSync(f)), { jobs: 2 });
  t.like(importTotals(fixed), { imported: 2, failed: 0, held: 0, stale: 3 });
  t.deepEqual(await last(), [{ store_id: 'G1', d: '2026-01-04' }, { store_id: 'G2', d: '2026-01-02' }]);
});
