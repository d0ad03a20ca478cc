import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliSandbox, realDataTest, realFixture } from '@trolley/core/testing';

/** The real 2026 Aldi catalogue, trimmed to the products the calibration pairs name and every bacon. */
const CATALOGUE = realFixture('aldi/aldi-catalogue-2026-06-29.jsonl.gz');
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

interface Generated {
  pairs: number;
  levels: number[];
  generators: Array<{ id: string; pairs: number }>;
  stored?: { inserted: number; updated: number; deleted: number; unchanged: number };
  out?: string;
}

// The whole catalogue's pair counts: the full file.
realDataTest(test, 'subs generate on the real Aldi catalogue stores LVL1+LVL2 pairs; a second run changes nothing; show lists them; --out and apply round-trip', async (t, real) => {
  const cli = cliSandbox(t, { database: 'server' });
  t.is((await cli.run(['import', real.file('aldi/aldi-catalogue-2026-06-29.jsonl.gz'), '--store-id', 'CATALOGUE'])).code, 0);

  const first = await cli.run(['subs', 'generate', '--levels', '1,2', '--json']);
  t.is(first.code, 0, first.stderr);
  const generated = json<Generated>(first.stdout);
  t.deepEqual(generated.levels, [1, 2]);
  t.true(generated.pairs > 100, `${generated.pairs} pairs`);
  t.like(generated.stored, { inserted: generated.pairs, deleted: 0 });

  const second = json<Generated>((await cli.run(['subs', 'generate', '--levels', '1,2', '--json'])).stdout);
  t.like(second.stored, { inserted: 0, updated: 0, deleted: 0, unchanged: generated.pairs });

  const show = await cli.run(['subs', 'show', 'Short Cut Bacon 500g', '--json']);
  t.is(show.code, 0, show.stderr);
  const shown = json<{ product: { name: string }; substitutes: Array<{ name: string; level: number; score: number }> }>(show.stdout);
  t.is(shown.product.name, 'Short Cut Bacon 500g');
  t.deepEqual(shown.substitutes[0], { ...shown.substitutes[0]!, name: 'Short Cut Bacon 1kg', level: 1, score: 1 });
  const table = await cli.run(['subs', 'show', 'Short Cut Bacon 500g', '--log-level', 'warn']);
  t.regex(table.stdout, /LEVEL\s+P\(ACCEPT\)\s+ID\s+PRODUCT/, 'the score is shown as the probability a shopper accepts the substitute');
  t.regex(table.stdout, /LVL1\s+100%\s+\d+\s+BERG Short Cut Bacon 1kg/);
  t.is(json<{ total: number }>(show.stdout).total, shown.substitutes.length);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-pairs-')), 'pairs.jsonl');
  t.teardown(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  const out = await cli.run(['subs', 'generate', '--levels', '1,2', '--out', file, '--json']);
  t.is(out.code, 0, out.stderr);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  t.is(lines.length, generated.pairs + 1, 'a header and one line per pair');
  t.deepEqual(Object.keys(JSON.parse(lines[1]!) as object), ['a', 'b', 'level', 'score']);
  const counts = new Map<number, number>();
  for (const line of lines.slice(1)) for (const id of [(JSON.parse(line) as { a: number }).a, (JSON.parse(line) as { b: number }).b]) counts.set(id, (counts.get(id) ?? 0) + 1);
  const [busiest, n] = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]!;
  t.true(n > 1);
  const limited = await cli.run(['subs', 'show', String(busiest), '--limit', '1', '--log-level', 'warn']);
  t.true(limited.stdout.includes(`${n} substitute(s), the 1 strongest shown (--limit for more)`), limited.stdout + limited.stderr);
  const applied = await cli.run(['subs', 'apply', file, '--json']);
  t.is(applied.code, 0, applied.stderr);
  t.like(json<{ stored: Generated['stored'] }>(applied.stdout).stored, { inserted: 0, updated: 0, deleted: 0 });
});

test('bad input: an unknown level, a broken pairs file, an ambiguous product: one sentence, non-zero exit, nothing stored', async (t) => {
  const cli = cliSandbox(t);
  t.is((await cli.run(['import', CATALOGUE, '--store-id', 'CATALOGUE'])).code, 0);
  const level = await cli.run(['subs', 'generate', '--levels', '1,9']);
  t.is(level.code, 2);
  t.regex(level.stderr, /No installed generator has level 9; installed levels: 1, 2/);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-pairs-')), 'broken.jsonl');
  t.teardown(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  fs.writeFileSync(file, `{"format":"trolley-substitutions","version":1,"levels":[1]}\n{"a":1,"b":2,"level":1,"score":1}\n{"a":5,"b":3,"level":1,"score":1}\n`);
  const broken = await cli.run(['subs', 'apply', file]);
  t.is(broken.code, 3);
  t.regex(broken.stderr, /broken\.jsonl line 3 has product ids 5 and 3; they must be positive whole numbers with a < b; fix the line/);
  const none = json<{ substitutes: unknown[] }>((await cli.run(['subs', 'show', '1', '--json'])).stdout);
  t.deepEqual(none.substitutes, [], 'the valid first line was not stored either');

  const missing = await cli.run(['subs', 'generate', '--out', path.join(path.dirname(file), 'no-such-folder', 'pairs.jsonl')]);
  t.is(missing.code, 3);
  t.regex(missing.stderr, /no-such-folder does not exist; create it or give --out a path in an existing folder\./);

  const ambiguous = await cli.run(['subs', 'show', 'bacon']);
  t.is(ambiguous.code, 3);
  t.regex(ambiguous.stderr, /"bacon" matches several products.*; name one by its id\./);
});

test('subs show --csv prints the substitutes as CSV: a header line, one line per substitute, no heading sentence', async (t) => {
  const cli = cliSandbox(t);
  t.is((await cli.run(['import', CATALOGUE, '--store-id', 'CATALOGUE'])).code, 0);
  t.is((await cli.run(['subs', 'generate', '--levels', '1,2'])).code, 0);
  const shown = json<{ substitutes: Array<{ level: number; score: number; productId: number }> }>((await cli.run(['subs', 'show', 'Short Cut Bacon 500g', '--json'])).stdout);
  t.true(shown.substitutes.length > 0);
  const csv = await cli.run(['subs', 'show', 'Short Cut Bacon 500g', '--csv', '--log-level', 'warn']);
  t.is(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  t.is(lines[0], 'LEVEL,P(ACCEPT),ID,PRODUCT');
  t.is(lines.length, shown.substitutes.length + 1);
  t.deepEqual(
    lines.slice(1).map((line) => line.split(',').slice(0, 3)),
    shown.substitutes.map((s) => [`LVL${s.level}`, `${Math.round(s.score * 100)}%`, String(s.productId)]),
    'the same rows as --json, in the same order',
  );
  t.regex(csv.stdout, /^LVL1,100%,\d+,.*Short Cut Bacon 1kg$/m);
});
