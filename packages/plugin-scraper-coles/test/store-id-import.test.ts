/**
 * Files that wrote a Coles store's site number (`0584`) and files that wrote the registry's form
 * (`COL:584`) are one store: the import reads every id through the Coles scraper's one form.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliSandbox } from '@trolley/core/testing';
import { fixtureProduct, scrapeLine, writeScrapeFile } from './fixture-server.js';

test('import reads 0584, 584 and COL:584 as the one store COL:584', async (t) => {
  const cli = cliSandbox(t);
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'coles-ids-'));
  t.teardown(() => fs.rmSync(inbox, { recursive: true, force: true }));
  const products = [fixtureProduct('6600001'), fixtureProduct('6600002')];
  const day = (storeId: string, date: string) => {
    const file = path.join(inbox, `coles-${storeId.replace(':', '')}-${date}.jsonl`);
    writeScrapeFile(file, products.map((p) => scrapeLine(p).replace('"store_id": "0584"', `"store_id": "${storeId}"`).replaceAll('2025-09-28', date)));
    return file;
  };
  const files = [day('0584', '2025-09-26'), day('584', '2025-09-27'), day('COL:584', '2025-09-28')];
  t.true(fs.readFileSync(files[0]!, 'utf8').includes('"store_id": "0584"'), 'the fixture line names the store 0584');
  const imported = await cli.run(['import', ...files, '--json']);
  t.is(imported.code, 0, imported.stderr);
  const report = JSON.parse(imported.stdout) as { files: Array<{ mode: string; store: string }>; totals: { imported: number } };
  t.deepEqual(report.files.map((f) => f.store), ['COL:584', 'COL:584', 'COL:584']);
  t.is(report.totals.imported, 3, 'three days of one store, in order: none is stale');
  const counted = JSON.parse((await cli.run(['prices', 'count', '--by', 'store', '--json'])).stdout) as { stores: number; breakdown: Array<{ code: string }> };
  t.is(counted.stores, 1);
  t.is(counted.breakdown[0]!.code, 'COL:584');
});
