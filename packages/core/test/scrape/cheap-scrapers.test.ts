import test from 'ava';
import { fileURLToPath } from 'node:url';
import { cliSandbox } from '../../src/testing/cli.js';
import { CRAWLING_MODULES, REPORT_RESOLVED, resolvedModules } from '../../src/testing/modules-resolved.js';

const FILE = fileURLToPath(new URL('../../../test/fixtures/real/aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz', import.meta.url));

test('import asks every installed scraper its form of store ids without loading a crawler: crawlee is loaded when a scraper first lists', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['import', FILE, '--json'], { env: { NODE_OPTIONS: REPORT_RESOLVED } });
  const { urls, rest } = resolvedModules(run.stderr);
  t.is(run.code, 0, rest);
  t.true((JSON.parse(run.stdout) as { totals: { records: number } }).totals.records > 0);
  for (const chain of ['coles', 'woolworths', 'aldi', 'iga']) t.true(urls.some((url) => url.endsWith(`/plugin-scraper-${chain}/dist/src/${chain}-scraper.js`)), `the ${chain} scraper was created`);
  t.deepEqual(urls.filter((url) => CRAWLING_MODULES.test(url)), []);
});

test('scrape stores --dry-run creates the chain scraper and says what it would do without loading a crawler', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['scrape', 'stores', '--company', 'aldi', '--dry-run', '--json'], { env: { NODE_OPTIONS: REPORT_RESOLVED } });
  const { urls, rest } = resolvedModules(run.stderr);
  t.is(run.code, 0, rest);
  t.like(JSON.parse(run.stdout), { company: 'aldi', status: 'dry-run' });
  t.true(urls.some((url) => url.endsWith('/plugin-scraper-aldi/dist/src/aldi-scraper.js')), 'the aldi scraper was created');
  t.deepEqual(urls.filter((url) => CRAWLING_MODULES.test(url)), []);
});
