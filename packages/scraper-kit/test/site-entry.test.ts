import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CRAWLING_MODULES, REPORT_RESOLVED, resolvedModules } from '@trolley/core/testing';

test('@trolley/scraper-kit/site loads no crawler and no browser: a chain built on it is cheap to create', async (t) => {
  const site = new URL('../src/site.js', import.meta.url).href;
  const script = `const kit = await import(${JSON.stringify(site)}); for (const name of ['listingLister', 'storeLister', 'browserSession', 'parseJson', 'MalformedBody', 'grid']) if (typeof kit[name] !== 'function') throw new Error(name + ' is missing');`;
  const { stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: REPORT_RESOLVED } });
  const { urls } = resolvedModules(stderr);
  t.true(urls.some((url) => url.endsWith('/browser-session.js')), 'the hook saw the imports');
  t.deepEqual(urls.filter((url) => CRAWLING_MODULES.test(url)), []);
});
