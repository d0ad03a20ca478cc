import test from 'ava';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cliSandbox, realDataTest } from '@trolley/core/testing';

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

const ALDI = 'aldi/aldi-catalogue-2026-06-29.jsonl.gz';
const IGA = 'iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz';

realDataTest(test, 'trolley subs links on the full real Aldi and IGA files: links stored, counted and the weakest listed; the known bad links are not among them; a second run embeds nothing and changes no stored row', async (t, real) => {
  // Every product name of both files is embedded cold (about 4,800 texts): minutes on a loaded machine.
  t.timeout(15 * 60_000);
  const cli = cliSandbox(t, { database: 'server' });
  const imported = await cli.run(['import', real.file(ALDI), '--store-id', 'catalogue', '--log-level', 'warn']);
  t.is(imported.code, 0, imported.stderr);
  t.is((await cli.run(['import', real.file(IGA), '--log-level', 'warn'])).code, 0);

  const first = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--json', '--log-format', 'json']);
  t.is(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout) as { embedder: string; categories: number; companies: number; links: Record<string, number>; superGroups: number; changed: number; weakest: Array<{ score: number; kind: string; a: { name: string; company: string }; b: { name: string; company: string } }> };
  t.is(result.embedder, 'use-lite');
  t.is(result.categories, await leafCategories([real.file(ALDI), real.file(IGA)]), 'every leaf category of the files');
  t.true(result.categories > 50, `${result.categories} leaf categories`);
  t.is(result.companies, 2);
  t.true(result.links.MATCH! > 0, 'Aldi and IGA categories that hold the same kind of product');
  t.true(result.superGroups > 0);
  t.is(result.weakest.length, 10);
  t.true(result.weakest.every((l, i) => i === 0 || result.weakest[i - 1]!.score <= l.score), 'lowest score first');
  // The links the old name matching made and that nearly every pair through them was wrong.
  const all = JSON.parse((await cli.run(['subs', 'links', '--embedder', 'use-lite', '--weakest', '10000', '--json', '--log-level', 'warn'])).stdout) as typeof result;
  const linked = (x: string, y: string) => all.weakest.some((l) => (l.a.name === x && l.b.name === y) || (l.a.name === y && l.b.name === x));
  t.is(all.weakest.length, result.links.MATCH! + result.links.CLOSE! + result.links.DISTANT!, 'every link has a score and is listed');
  t.false(linked("Pizza And Pasta Sauces", "Frozen Pizzas"), "pizza sauces are not frozen pizzas");
  t.true(linked('Long Life Milk', 'Milk'), 'Aldi: long life milk and fresh milk hold the same kind of product');
  t.regex(first.stderr, /embedding [\d,]+ new text\(s\) with use-lite/);

  const second = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--json', '--log-format', 'json']);
  t.is(second.code, 0, second.stderr);
  t.is(result.changed, result.links.MATCH! + result.links.CLOSE! + result.links.DISTANT!, 'every link was new');
  t.deepEqual(JSON.parse(second.stdout), { ...result, changed: 0 });
  t.notRegex(second.stderr, /new text\(s\)/, 'every category name came from the cache');

  const text = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--log-level', 'warn']);
  t.regex(text.stdout, /^\d+ leaf categories of 2 company\(ies\): \d+ MATCH, \d+ CLOSE, \d+ DISTANT link\(s\) \(products compared with use-lite\); 0 stored row\(s\) changed\.\n\d+ super-group\(s\)[^\n]*\nThe 10 weakest link\(s\), for review:\n.*SCORE.*KIND.*CATEGORY A.*CATEGORY B/);
});

test('trolley subs links with an unknown embedder names the installed ones', async (t) => {
  const cli = cliSandbox(t);
  const result = await cli.run(['subs', 'links', '--embedder', 'nope']);
  t.is(result.code, 3);
  t.regex(result.stderr, /No Embedder named "nope" is installed; choose one of use-lite\b/);
});

realDataTest(test, 'trolley subs links on one company (the full real Aldi 2026 catalogue alone): MATCH links between its own categories, and the output says so', async (t, real) => {
  t.timeout(15 * 60_000);
  const cli = cliSandbox(t, { database: 'server' });
  t.is((await cli.run(['import', real.file(ALDI), '--store-id', 'catalogue', '--log-level', 'warn'])).code, 0);
  const run = await cli.run(['subs', 'links', '--embedder', 'use-lite', '--log-level', 'warn']);
  t.is(run.code, 0, run.stderr);
  t.regex(run.stdout, /leaf categories of 1 company\(ies\): [1-9]\d* MATCH/);
  t.regex(run.stdout, /One company: its MATCH links join its own categories that hold the same kind of product\./);
  const lvl4 = await cli.run(['subs', 'generate', '--levels', '4', '--embedder', 'use-lite', '--json', '--log-level', 'warn']);
  t.is(lvl4.code, 0, lvl4.stderr);
  t.true((JSON.parse(lvl4.stdout) as { pairs: number }).pairs > 0, 'LVL4 pairs in a one-company database');
});
