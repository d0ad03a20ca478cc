import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { buildServer, identityResolver, importFiles } from '@trolley/core';
import { silentLogger, testDatabase } from '@trolley/core/testing';
import { fixtureProduct, recordUrl, scrapeLine, writeScrapeFile } from './fixture-server.js';
import { readLines, scene } from './helpers.js';

test('--api-url prefills from another trolley through its export API: known products are not fetched and the local database is not opened', async (t) => {
  const all = Array.from({ length: 40 }, (_, i) => fixtureProduct(String(7_000_000 + i), 'next-data'));
  const known = all.filter((_, i) => i % 4 === 0);
  const s = await scene(t, all, { name: 'coles-0584-2025-09-28.jsonl' });

  // Another trolley knows some of the products with their barcodes, and serves them.
  const { knex } = await testDatabase(t);
  const knownFile = path.join(path.dirname(s.inbox), 'known-2025-09-27.jsonl');
  writeScrapeFile(knownFile, known.map((p) => scrapeLine(p, { barcode: p.gtin, date: '2025-09-27' })));
  t.is((await importFiles(knex, [knownFile]))[0]!.mode, 'full');
  const app = await buildServer({ knex, resolver: identityResolver, apiKey: 'k-123', logger: silentLogger });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());

  const wrongKey = await s.cli.run(s.args('--api-url', apiUrl), { env: { TROLLEY_API_KEY: 'nope' } });
  t.is(wrongKey.code, 5, wrongKey.stderr);
  t.regex(wrongKey.stderr, /answered 401/);
  t.is(s.server.total, 0, 'nothing fetched before the prefill worked');

  const run = await s.cli.run(s.args('--api-url', apiUrl, '--json'), { env: { TROLLEY_API_KEY: 'k-123' } });
  t.is(run.code, 0, run.stderr);
  for (const p of known) t.is(s.server.count(new URL(recordUrl(p, s.server.origin)).pathname), 0, `${p.sku} prefilled, not fetched`);
  t.is(s.server.total, all.length - known.length);
  t.is(readLines(path.join(s.outbox, path.basename(s.source))).length, all.length);
  t.false(fs.existsSync(path.join(s.cli.home, 'db')), 'the local embedded database was never opened');
});
