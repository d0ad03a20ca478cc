import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { closedPort, readRecords, scrapeScene } from '@trolley/scraper-kit/testing';
import { aldiCatalogue, aldiSite, SERVICE_POINTS } from './aldi-fixture.js';

test('scrape stores asks the locator over the grid, keeps each store once, writes the list and imports it into the registry', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(aldiCatalogue([1])));
  const out = path.join(s.outbox, 'aldi-stores.jsonl.gz');
  const run = await s.cli.run(['scrape', 'stores', '--company', 'aldi', '--out', out, '--import', '--grid-step', '5', '--delay', '0', '--base-url', s.site.origin, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { stores: number; seen: number; imported: { inserted: number } };
  t.is(s.site.count('/v2/service-points'), 7 * 9, 'a 5° grid over Australia');
  t.is(result.stores, SERVICE_POINTS.length);
  t.true(result.seen > result.stores, 'grid points overlap');
  t.is(result.imported.inserted, SERVICE_POINTS.length);
  const lines = readRecords(out) as unknown as Array<Record<string, unknown>>;
  t.deepEqual(lines.map((l) => l.store_id), SERVICE_POINTS.map((p) => p.id).sort());
  t.deepEqual(lines.find((l) => l.store_id === 'G467'), { company: 'aldi', store_id: 'G467', name: 'Edgecliff', suburb: 'Edgecliff', state: 'NSW', postcode: '2027', latitude: -33.8791, longitude: 151.2367 });
  await s.cli.run(['postcodes', 'import']);
  const near = await s.cli.run(['stores', 'list', '--near', '2000', '--radius', '10km', '--json']);
  t.deepEqual((JSON.parse(near.stdout) as { stores: Array<{ code: string }> }).stores.map((x) => x.code), ['G467']);
  // The list it wrote is what stores import reads.
  const again = await s.cli.run(['stores', 'import', out, '--json']);
  t.like(JSON.parse(again.stdout), { stores: SERVICE_POINTS.length, updated: SERVICE_POINTS.length });
  t.true(fs.existsSync(out));

  const none = await s.cli.run(['scrape', 'stores', '--company', 'iga', '--out', out]);
  t.is(none.code, 3);
  t.regex(none.stderr, /The iga scraper \(@trolley\/plugin-scraper-iga\) has no store locator; load iga stores from a store list instead: trolley stores import FILE/);
});

test('a store locator that cannot be reached: exit 5 after its first 5 requests fail, not one failure per grid point; nothing written', async (t) => {
  t.timeout(5 * 60_000);
  const s = await scrapeScene(t, 'aldi', 'G147', aldiSite(aldiCatalogue([1])));
  const out = path.join(s.outbox, 'aldi-stores.jsonl.gz');
  const down = `http://127.0.0.1:${await closedPort()}`;
  const run = await s.cli.run(['scrape', 'stores', '--company', 'aldi', '--out', out, '--grid-step', '2', '--delay', '0', '--max-retries', '1', '--retry-backoff', '10ms', '--base-url', down, '--json']);
  t.is(run.code, ExitCode.unavailable, run.stderr);
  const result = JSON.parse(run.stdout) as { status: string; stores: number; message: string; statistics: { requestsTotal: number } };
  t.is(result.status, 'unavailable');
  t.is(result.stores, 0);
  t.is(result.statistics.requestsTotal, 5, 'a 2° grid has 396 points: the crawl stopped after the first 5');
  t.regex(result.message, new RegExp(`^The aldi store locator could not be reached: ${down}/v2/service-points\\S* failed \\(connect ECONNREFUSED`));
  t.false(fs.existsSync(out));
});
