import test from 'ava';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cliSandbox, REAL_FIXTURES as REAL } from '@trolley/core/testing';

/** Leaf categories of scrape files, read independently of the importer: category paths that no longer path of the same chain extends. */
async function leafCategories(files: readonly string[]): Promise<number> {
  const paths = new Set<string>();
  for (const file of files) {
    for (const line of gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean)) {
      const { product, metadata } = JSON.parse(line) as { product: { category_path?: string[] | null }; metadata: { company: string } };
      if (product.category_path?.length) paths.add([metadata.company.toLowerCase(), ...product.category_path].join('\u0000'));
    }
  }
  return [...paths].filter((p) => ![...paths].some((q) => q.startsWith(`${p}\u0000`))).length;
}

test('trolley subs links on real Aldi and IGA files: links stored and counted with use-lite; a second run embeds nothing, gives the same counts and changes no stored row', async (t) => {
  const cli = cliSandbox(t, { database: 'server' });
  const imported = await cli.run(['import', `${REAL}aldi/aldi-catalogue-2026-06-29.jsonl.gz`, '--store-id', 'catalogue', '--log-level', 'warn']);
  t.is(imported.code, 0, imported.stderr);
  t.is((await cli.run(['import', `${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`, '--log-level', 'warn'])).code, 0);

  const first = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--json', '--log-format', 'json']);
  t.is(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout) as { embedder: string; categories: number; links: Record<string, number>; superGroups: number; changed: number };
  t.is(result.embedder, 'use-lite');
  t.is(result.categories, await leafCategories([`${REAL}aldi/aldi-catalogue-2026-06-29.jsonl.gz`, `${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`]), 'every leaf category of the files');
  t.true(result.categories > 40, `${result.categories} leaf categories`);
  t.true(result.links.MATCH! > 0, 'Aldi and IGA category names that mean the same thing');
  t.true(result.superGroups > 0);
  t.regex(first.stderr, /embedding \d+ new text\(s\) with use-lite/);

  const second = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--json', '--log-format', 'json']);
  t.is(second.code, 0, second.stderr);
  t.is(result.changed, result.links.MATCH! + result.links.CLOSE! + result.links.DISTANT!, 'every link was new');
  t.deepEqual(JSON.parse(second.stdout), { ...result, changed: 0 });
  t.notRegex(second.stderr, /new text\(s\)/, 'every category name came from the cache');

  const text = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--log-level', 'warn']);
  t.regex(text.stdout, /^\d+ leaf categories: \d+ MATCH, \d+ CLOSE, \d+ DISTANT link\(s\) \(names scored with use-lite\); 0 stored row\(s\) changed\.\n\d+ super-group\(s\)/);
});

test('trolley subs links with an unknown embedder names the installed ones', async (t) => {
  const cli = cliSandbox(t);
  const result = await cli.run(['subs', 'links', '--embedder', 'nope']);
  t.is(result.code, 3);
  t.regex(result.stderr, /No Embedder named "nope" is installed; choose one of minilm, use-lite/);
});
