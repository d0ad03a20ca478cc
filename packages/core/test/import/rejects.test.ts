/** The rejects of --skip-invalid are written before the import commits: never lost. */
import test from 'ava';
import fs from 'node:fs';
import { importFile } from '../../src/import/import-file.js';
import { importFiles } from '../../src/import/import-files.js';
import { testDatabase } from '../../src/testing/index.js';
import { snapshot } from './db-snapshot.js';
import { products, tempDir, writeScrape } from './scrape-fixtures.js';

test('with --skip-invalid, a rejects file that cannot be written fails the file and commits nothing; once writable, the file imports', async (t) => {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const file = writeScrape(dir, 'half.jsonl', [...products(4), '{"product": ', ...products(2).map((l) => l.replace('P0', 'Q0').replace('P1', 'Q1'))]);
  fs.mkdirSync(`${dir}/half.rejects.jsonl`); // a folder in the way
  const other = writeScrape(dir, 'other.jsonl', products(3, { store_id: 'G2' }));
  const before = await snapshot(knex);
  const [report, otherReport] = await importFiles(knex, [file, other], { skipInvalid: true });
  t.is(report!.mode, 'failed');
  t.regex(report!.message!, /^half\.jsonl has 1 invalid line\(s\), but their rejects file .*half\.rejects\.jsonl cannot be written \(EISDIR\); make that place writable or move what is in the way, then import again \(nothing of the file was imported\)\.$/);
  t.is(otherReport!.mode, 'full', 'a file of another store in the same batch still imports');
  const after = await snapshot(knex);
  t.not(after.prices, before.prices);
  t.is((await knex.raw(`select count(*)::int as n from stores where store_id = 'G1'`)).rows[0].n, 0, 'nothing of the failed file was committed');

  fs.rmdirSync(`${dir}/half.rejects.jsonl`);
  const retried = await importFile(knex, file, { skipInvalid: true });
  t.is(retried.mode, 'full');
  t.is(retried.rejects, 1);
  t.regex(fs.readFileSync(`${dir}/half.rejects.jsonl`, 'utf8'), /"line":5,"reason":"is not JSON/);
});
