import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { cliSandbox, sandboxDatabase } from '../../src/testing/index.js';
import { storesNear } from '../../src/stores/stores-near.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const TRIMMED = fileURLToPath(new URL('../../../test/stores/fixtures/stores-trimmed.jsonl.gz', import.meta.url));
// The whole national list when CI points TROLLEY_REAL_DATA at the real-data archive; the trimmed copy otherwise.
const REAL = process.env.TROLLEY_REAL_DATA ? path.join(process.env.TROLLEY_REAL_DATA, 'stores-2025-09-28.jsonl.gz') : undefined;
const LIST = REAL ?? TRIMMED;
const EXPECTED = REAL ? { stores: 5701, withCoordinates: 5691 } : { stores: 136, withCoordinates: 133 };

type Listed = { postcode: { postcode: string; latitude: number }; stores: Array<{ company: string; code: string; name: string; distanceKm: number }> };

test('stores import gives every store of the list; stores list --near 2000 --radius 5km lists Sydney CBD stores nearest first', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const cli = cliSandbox(t, { database });
  const postcodes = await cli.run(['postcodes', 'import', '--json']);
  t.is(postcodes.code, 0, postcodes.stderr);
  t.is((JSON.parse(postcodes.stdout) as { postcodes: number }).postcodes, 3175, 'the bundled list');
  const imported = await cli.run(['stores', 'import', LIST, '--json']);
  t.is(imported.code, 0, imported.stderr);
  t.like(JSON.parse(imported.stdout), { ...EXPECTED, inserted: EXPECTED.stores, updated: 0 });
  const again = await cli.run(['stores', 'import', LIST, '--json']);
  t.like(JSON.parse(again.stdout), { stores: EXPECTED.stores, inserted: 0, updated: EXPECTED.stores });

  const near = await cli.run(['stores', 'list', '--near', '2000', '--radius', '5km', '--json']);
  t.is(near.code, 0, near.stderr);
  const listed = JSON.parse(near.stdout) as Listed;
  t.is(listed.stores.length, 96);
  const distances = listed.stores.map((s) => s.distanceKm);
  t.deepEqual(distances, [...distances].sort((a, b) => a - b), 'nearest first');
  t.true(distances.every((d) => d <= 5));
  // Checked by hand: haversine from postcode 2000's centre (-33.86052, 151.20158) to each store's coordinates.
  t.like(listed.stores[0], { company: 'woolworths', code: '8964', name: 'Barangaroo Metro', distanceKm: 0.542 });
  t.like(listed.stores[1], { company: 'iga', code: '14403', name: 'IGA X-press Walsh Bay', distanceKm: 0.633 });
  t.like(listed.stores[3], { company: 'coles', code: 'COL:840', name: 'Coles Central Wynyard Express', distanceKm: 0.716 });

  const aldi = await cli.run(['stores', 'list', '--near', '2000', '--radius', '5km', '--company', 'ALDI', '--json']);
  t.is((JSON.parse(aldi.stdout) as Listed).stores.length, 4);
  const human = await cli.run(['stores', 'list', '--near', '2000', '--radius', '1km']);
  t.regex(human.stdout, /^KM\s+COMPANY\s+STORE/m);
  t.regex(human.stdout, /0\.54\s+woolworths\s+8964\s+Barangaroo Metro/);

  // The library function other code (the HTTP route) uses.
  const db = await sandboxDatabase(t, cli);
  const result = await storesNear(await db.knex(), { postcode: '2000', radiusKm: 0.7, company: 'woolworths' });
  t.deepEqual(result.stores.map((s) => s.code), ['8964', '1550']);
});

test('bad input: a bad line names file and line and imports nothing; an unknown postcode or radius is one sentence', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const cli = cliSandbox(t, { database });
  const bad = path.join(path.dirname(cli.home), 'stores.jsonl');
  fs.mkdirSync(path.dirname(bad), { recursive: true });
  fs.writeFileSync(bad, '{"company": "aldi", "store_id": "G1", "latitude": -33.9, "longitude": 151.2}\n{"company": "aldi", "store_id": "G2", "latitude": "north", "longitude": 151.2}\n');
  const failed = await cli.run(['stores', 'import', bad]);
  t.is(failed.code, ExitCode.input);
  t.regex(failed.stderr, /^trolley: stores\.jsonl line 2 has coordinates \["north",151\.2\] that are not numbers; fix or remove that line/m);
  const list = await cli.run(['stores', 'list', '--json']);
  t.deepEqual((JSON.parse(list.stdout) as Listed).stores, [], 'nothing was imported');

  const noPostcodes = await cli.run(['stores', 'list', '--near', '2000']);
  t.is(noPostcodes.code, ExitCode.input);
  t.regex(noPostcodes.stderr, /No postcodes are loaded.*trolley postcodes import/);
  await cli.run(['postcodes', 'import']);
  const unknown = await cli.run(['stores', 'list', '--near', '0001']);
  t.regex(unknown.stderr, /Postcode 0001 is not in the postcode list/);
  const radius = await cli.run(['stores', 'list', '--near', '2000', '--radius', 'far']);
  t.is(radius.code, ExitCode.usage);
  const missing = await cli.run(['stores', 'import', '/no/such/file.jsonl']);
  t.is(missing.code, ExitCode.input);
});
