import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

test('the entry points resolve to their types under every module resolution a TypeScript project may use, node10 included', (t) => {
  const from = fileURLToPath(new URL('../../../plugin-scraper-aldi/src/a-consumer.ts', import.meta.url));
  const kinds = { node10: ts.ModuleResolutionKind.Node10, node16: ts.ModuleResolutionKind.Node16, bundler: ts.ModuleResolutionKind.Bundler };
  for (const [name, moduleResolution] of Object.entries(kinds)) {
    const options = { moduleResolution, module: name === 'node16' ? ts.ModuleKind.Node16 : ts.ModuleKind.ESNext };
    for (const [entry, types] of [['', 'dist/src/index.d.ts'], ['/site', 'dist/src/site.d.ts'], ['/testing', 'dist/src/testing/index.d.ts']] as const) {
      const resolved = ts.resolveModuleName(`@trolley/scraper-kit${entry}`, from, options, ts.sys).resolvedModule;
      t.true(resolved?.resolvedFileName.endsWith(`/scraper-kit/${types}`), `@trolley/scraper-kit${entry} under ${name}: ${resolved?.resolvedFileName}`);
    }
  }
});
