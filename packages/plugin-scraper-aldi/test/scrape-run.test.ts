import test, { type ExecutionContext } from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '@trolley/core';
import { closedPort, readRecords, scrapeScene, testDatabaseKind } from '@trolley/scraper-kit/testing';
import { aldiCatalogue, aldiSite, SERVICE_POINTS } from './aldi-fixture.js';

type WorkerResult = { worker: string; stopped: string; stores: Array<{ claim: { code: string; until: string }; status: string; products: number; imported?: boolean }> };

/** A registry of the made-up service points, and a fixture that lists the same catalogue for any of them. */
async function fleet(t: ExecutionContext, points = SERVICE_POINTS) {
  const s = await scrapeScene(t, 'aldi', 'unused', aldiSite(aldiCatalogue([12, 7])));
  const list = path.join(s.outbox, '..', 'aldi-stores.jsonl');
  fs.mkdirSync(s.outbox, { recursive: true });
  fs.writeFileSync(list, points.map((p) => JSON.stringify({ company: 'aldi', store_id: p.id, name: p.name, state: p.address.regionCode, latitude: p.address.latitude, longitude: p.address.longitude })).join('\n') + '\n');
  const imported = await s.cli.run(['stores', 'import', list]);
  t.is(imported.code, 0, imported.stderr);
  const args = (worker: string, ...extra: string[]) => ['scrape', 'run', '--worker', worker, '--company', 'aldi', '--outbox', s.outbox, '--delay', '20ms', '--retry-backoff', '10ms', '--base-url', s.site.origin, '--log-format', 'json', '--json', ...extra];
  return { s, args };
}

const scrapedStores = (site: { requests: Array<{ path: string; query: URLSearchParams }> }) => site.requests.filter((r) => r.path === '/v2/product-category-tree').map((r) => r.query.get('servicePoint'));

test(`three workers share the queue: every claimed store is scraped exactly once (${testDatabaseKind})`, async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const { s, args } = await fleet(t);
  const workers = ['w1', 'w2', 'w3'];
  let results: WorkerResult[];
  if (testDatabaseKind === 'server') {
    // Three processes at once against one PostgreSQL: claims are the only coordination.
    const runs = await Promise.all(workers.map((w) => s.cli.run(args(w, '--limit', '100', '--import'))));
    for (const run of runs) t.is(run.code, 0, run.stderr);
    results = runs.map((run) => JSON.parse(run.stdout) as WorkerResult);
  } else {
    // The embedded database is one process's at a time (its directory is locked), so on it the
    // workers take turns; the claims are the same statements.
    results = [];
    for (const w of workers) {
      const run = await s.cli.run(args(w, '--limit', '3', '--import'));
      t.is(run.code, 0, run.stderr);
      results.push(JSON.parse(run.stdout) as WorkerResult);
    }
  }
  const claimed = results.flatMap((r) => r.stores.map((x) => x.claim.code));
  t.log(results.map((r) => `${r.worker}: ${r.stores.map((x) => x.claim.code).join(' ')}`).join('; '));
  t.deepEqual([...claimed].sort(), SERVICE_POINTS.map((p) => p.id).sort().slice(0, claimed.length));
  if (testDatabaseKind === 'server') t.is(claimed.length, SERVICE_POINTS.length, 'the three workers emptied the queue');
  t.is(new Set(claimed).size, claimed.length, 'no store claimed twice');
  t.deepEqual([...scrapedStores(s.site)].sort(), [...claimed].sort(), 'each claimed store was scraped once');
  t.true(results.flatMap((r) => r.stores).every((x) => x.status === 'done' && x.products === 19 && x.imported === true));
  t.is(s.files().length, claimed.length);
  const next = await s.cli.run(args('w4'));
  t.is(next.code, 0);
  t.is((JSON.parse(next.stdout) as WorkerResult).stores.length, SERVICE_POINTS.length - claimed.length, 'scraped stores stay out of the queue for the claim period');
});

test('a worker killed mid-store loses its claim after the timeout, and another worker finishes the store', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const { s, args } = await fleet(t, SERVICE_POINTS.slice(0, 1));
  // The victim's first listing page never answers in time: it is killed while it waits.
  s.site.fault((r) => r.path === '/v3/product-search', { body: { data: [] }, delayMs: 30_000 });
  const victim = s.cli.spawn(args('victim', '--claim-timeout', '4s', '--log-level', 'info'));
  let log = '';
  victim.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  s.site.onRequest = (r) => {
    if (r.path === '/v3/product-search') victim.kill('SIGKILL');
  };
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => victim.on('exit', (_c, sig) => resolve(sig)));
  t.is(signal, 'SIGKILL');
  s.site.onRequest = undefined;
  const claimLine = log.split('\n').find((line) => line.includes('victim claimed aldi store G147'));
  t.truthy(claimLine, log);
  const victimUntil = Date.parse((JSON.parse(claimLine!) as { until: string }).until);

  // Rescuers ask until one gets the store: none may get it before the victim's claim expired.
  let got: WorkerResult['stores'][number] | undefined;
  for (let attempt = 0; attempt < 6 && !got; attempt++) {
    const rescue = await s.cli.run(args('rescuer', '--claim-timeout', '4s'));
    t.is(rescue.code, 0, rescue.stderr);
    got = (JSON.parse(rescue.stdout) as WorkerResult).stores[0];
    if (!got) await sleep(1000);
  }
  t.truthy(got, 'the store was picked up');
  t.is(got!.claim.code, 'G147');
  t.is(got!.status, 'done');
  t.true(Date.parse(got!.claim.until) - 4000 >= victimUntil, 'claimed again only once the first claim had expired');
  t.is(readRecords(s.files()[0]!).length, 19);
});

test(`without --company a worker claims only stores of companies with an installed scraper (${testDatabaseKind})`, async (t) => {
  t.timeout(10 * 60_000);
  const { s } = await fleet(t, SERVICE_POINTS.slice(0, 2));
  const other = path.join(s.outbox, '..', 'other-stores.jsonl');
  fs.writeFileSync(other, `${JSON.stringify({ company: 'foodworks', store_id: 'FW1', name: 'Foodworks Glebe', state: 'NSW', latitude: -33.88, longitude: 151.18 })}\n`);
  t.is((await s.cli.run(['stores', 'import', other])).code, 0);
  const run = await s.cli.run(['scrape', 'run', '--worker', 'any', '--limit', '10', '--outbox', s.outbox, '--delay', '0', '--base-url', s.site.origin, '--json']);
  t.is(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { stopped: string; stores: Array<{ claim: { company: string; code: string } }> };
  t.deepEqual(result.stores.map((st) => `${st.claim.company}:${st.claim.code}`).sort(), SERVICE_POINTS.slice(0, 2).map((p) => `aldi:${p.id}`).sort());
  t.is(result.stopped, 'queue-empty', 'the Foodworks store, which no installed scraper can list, is left for a worker that can');
});

test('a site that cannot be reached stops the worker (exit 5) and gives the store back for the next worker', async (t) => {
  t.timeout(10 * 60_000);
  const { s, args } = await fleet(t, SERVICE_POINTS.slice(0, 1));
  const down = `http://127.0.0.1:${await closedPort()}`;
  const run = await s.cli.run(args('down', '--max-retries', '1').map((a) => (a === s.site.origin ? down : a)));
  t.is(run.code, ExitCode.unavailable, run.stderr);
  const result = JSON.parse(run.stdout) as WorkerResult;
  t.is(result.stopped, 'unavailable');
  t.deepEqual(result.stores.map((st) => `${st.claim.code} ${st.status}`), [`${SERVICE_POINTS[0]!.id} unavailable`]);
  t.deepEqual(s.files(), []);
  // Given back, not marked scraped: the next worker, with the site up, takes the store at once.
  const up = await s.cli.run(args('up'));
  t.is(up.code, 0, up.stderr);
  t.deepEqual((JSON.parse(up.stdout) as WorkerResult).stores.map((st) => `${st.claim.code} ${st.status}`), [`${SERVICE_POINTS[0]!.id} done`]);
});
