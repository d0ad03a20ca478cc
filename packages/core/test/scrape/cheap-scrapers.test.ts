import test from 'ava';
import { fileURLToPath } from 'node:url';
import { cliSandbox } from '../../src/testing/cli.js';

/** The crawl and its HTTP stack: loaded when a scraper first lists, never when one is only created. */
const CRAWLING = /\/node_modules\/(@crawlee|got-scraping|http2-wrapper|playwright-core)\//;
/** A resolve hook that reports every module the process resolves, on stderr. */
const HOOK = `export async function resolve(specifier, context, next) { const r = await next(specifier, context); process.stderr.write('resolved ' + r.url + '\\n'); return r; }`;
const REPORT_RESOLVED = `--import=data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`)}`;
const FILE = fileURLToPath(new URL('../../../test/fixtures/real/aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz', import.meta.url));

test('import asks every installed scraper its form of store ids without loading a crawler: crawlee is loaded when a scraper first lists', async (t) => {
  const cli = cliSandbox(t);
  const run = await cli.run(['import', FILE, '--json'], { env: { NODE_OPTIONS: REPORT_RESOLVED } });
  t.is(run.code, 0, run.stderr.split('\n').filter((line) => !line.startsWith('resolved ')).join('\n'));
  t.true((JSON.parse(run.stdout) as { totals: { records: number } }).totals.records > 0);
  const resolved = run.stderr.split('\n').filter((line) => line.startsWith('resolved ')).map((line) => line.slice('resolved '.length));
  for (const chain of ['coles', 'woolworths', 'aldi', 'iga']) t.true(resolved.some((url) => url.endsWith(`/plugin-scraper-${chain}/dist/src/${chain}-scraper.js`)), `the ${chain} scraper was created`);
  t.deepEqual(resolved.filter((url) => CRAWLING.test(url)), []);
});
