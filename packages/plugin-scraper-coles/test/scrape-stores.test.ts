/**
 * `scrape stores --company coles`: the GraphQL store search over a grid, against the constructed
 * locator body (fixtures/README.md says why it is not a real one), behind the Imperva stand-in.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from '@trolley/core';
import { readRecords, scrapeScene } from '@trolley/scraper-kit/testing';
import { colesDepartments, colesSite, SESSION_COOKIE, STORE_SEARCH } from './listing-fixture.js';

test('scrape stores asks the store search at each grid point, keeps Coles stores once (not Liquorland), ids as the registry writes them, and imports them', async (t) => {
  t.timeout(10 * 60_000);
  const s = await scrapeScene(t, 'coles', '0584', colesSite(colesDepartments({ bakery: 1 })));
  const out = path.join(s.outbox, 'coles-stores.jsonl.gz');
  const args = ['scrape', 'stores', '--company', 'coles', '--out', out, '--grid-step', '5', '--delay', '0', '--retry-backoff', '10ms', '--base-url', s.site.origin, '--json'];
  const blocked = await s.cli.run(args);
  t.is(blocked.code, ExitCode.blocked, blocked.stderr);
  t.regex(blocked.stdout + blocked.stderr, /The site blocked the scraper at .*\/api\/graphql .*Start a browser session with trolley scrape session --company coles/);

  const cookies = path.join(s.outbox, '..', 'cookies.txt');
  fs.writeFileSync(cookies, `Cookie: ${SESSION_COOKIE.name}=${SESSION_COOKIE.value}\n`);
  const before = s.site.requests.length;
  const run = await s.cli.run([...args, '--cookies', cookies, '--import']);
  t.is(run.code, 0, run.stderr);
  const asked = s.site.requests.slice(before);
  t.is(asked.length, 7 * 9, 'a 5° grid over Australia');
  const first = JSON.parse(asked[0]!.body) as { operationName: string; variables: Record<string, unknown> };
  t.like(first, { operationName: 'storeSearch', variables: { latitude: -44, longitude: 112, brandIds: ['COL'], numberOfStores: 50 } });
  const result = JSON.parse(run.stdout) as { stores: number; seen: number; imported: { inserted: number } };
  const coles = STORE_SEARCH.filter((st) => st.brandName.startsWith('Coles'));
  t.is(result.stores, coles.length);
  t.true(result.seen > result.stores, 'grid points overlap');
  const lines = readRecords(out) as unknown as Array<Record<string, unknown>>;
  t.deepEqual(lines.map((l) => l.store_id), ['COL:401', 'COL:4564', 'COL:460', 'COL:710', 'COL:7689', 'COL:840']);
  t.deepEqual(lines.find((l) => l.store_id === 'COL:401'), { company: 'coles', store_id: 'COL:401', name: 'Coles Firle', suburb: 'Firle', state: 'SA', postcode: '5070', latitude: -34.905107, longitude: 138.655247 });
  await s.cli.run(['postcodes', 'import']);
  const near = await s.cli.run(['stores', 'list', '--near', '2000', '--radius', '2km', '--json']);
  t.deepEqual((JSON.parse(near.stdout) as { stores: Array<{ code: string }> }).stores.map((x) => x.code).sort(), ['COL:710', 'COL:7689', 'COL:840']);
});

test('IGA has no store locator: scrape stores names stores import FILE instead (exit 3)', async (t) => {
  const s = await scrapeScene(t, 'coles', '0584', colesSite(colesDepartments({ bakery: 1 })));
  const none = await s.cli.run(['scrape', 'stores', '--company', 'iga', '--out', path.join(s.outbox, 'x.jsonl')]);
  t.is(none.code, ExitCode.input);
  t.regex(none.stderr, /The iga scraper \(@trolley\/plugin-scraper-iga\) has no store locator; load iga stores from a store list instead: trolley stores import FILE/);
});
