import test from 'ava';
import { fileURLToPath } from 'node:url';
import { cliSandbox, type CliSandbox } from '../src/testing/index.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/plugins/${name}`, import.meta.url));

interface Listing {
  extensions: Array<{ kind: string; id: string; plugin: string; pluginVersion: string }>;
  problems: Array<{ plugin: { name: string }; problem: string; message: string }>;
}

async function extensions(cli: CliSandbox): Promise<Listing> {
  const result = await cli.run(['extensions', '--json']);
  if (result.code !== 0) throw new Error(`trolley extensions failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Listing;
}

async function link(t: { is(a: unknown, b: unknown, m?: string): void }, cli: CliSandbox, dir: string) {
  const result = await cli.run(['plugins', 'link', dir, '--no-install']);
  t.is(result.code, 0, result.stderr);
}

test.serial('a third-party plugin linked at run time appears in extensions, and is gone once unlinked', async (t) => {
  const cli = cliSandbox(t);
  t.false((await extensions(cli)).extensions.some((e) => e.plugin === 'trolley-plugin-anagrams'), 'not bundled');
  await link(t, cli, `${repo}examples/plugin-anagrams`);
  const linked = await extensions(cli);
  const anagram = linked.extensions.find((e) => e.id === 'lvl5-anagram');
  t.like(anagram, { kind: 'SubstitutionGenerator', plugin: 'trolley-plugin-anagrams', pluginVersion: '1.0.0' });
  t.true(linked.extensions.some((e) => e.id === 'lvl1'), 'bundled plugins still load');
  const plugins = await cli.run(['plugins', '--json']);
  t.true((JSON.parse(plugins.stdout) as Array<{ name: string }>).some((p) => p.name === 'trolley-plugin-anagrams'));
  const unlink = await cli.run(['plugins', 'unlink', 'trolley-plugin-anagrams']);
  t.is(unlink.code, 0, unlink.stderr);
  t.false((await extensions(cli)).extensions.some((e) => e.id === 'lvl5-anagram'));
});

test.serial('a plugin built for another major API version is refused with a message naming it and both versions', async (t) => {
  const cli = cliSandbox(t);
  await link(t, cli, fixture('incompatible'));
  const listing = await extensions(cli);
  t.false(listing.extensions.some((e) => e.id === 'lvl9-future'));
  const [problem] = listing.problems;
  t.is(problem?.problem, 'incompatible');
  t.regex(problem?.message ?? '', /trolley-plugin-from-the-future@9\.0\.0 was refused: its SubstitutionGenerator "lvl9-future" is built for extension API 2\.0\.0, but this trolley speaks 1\.1\.0/);
  const human = await cli.run(['extensions']);
  t.is(human.code, 0);
  t.regex(human.stdout, /1 plugin problem\(s\):\n {2}- Plugin trolley-plugin-from-the-future@9\.0\.0 was refused/);
  t.regex(human.stderr, /was refused/, 'and warned on stderr');
});

test.serial('a plugin whose registration throws is reported and skipped; the CLI and the other plugins still work', async (t) => {
  const cli = cliSandbox(t);
  await link(t, cli, fixture('throwing'));
  await link(t, cli, `${repo}examples/plugin-anagrams`);
  const listing = await extensions(cli);
  t.true(listing.extensions.some((e) => e.id === 'lvl5-anagram'));
  t.true(listing.extensions.some((e) => e.id === 'lvl1'));
  t.deepEqual(listing.problems.map((p) => [p.plugin.name, p.problem]), [['trolley-plugin-broken', 'failed']]);
  t.regex(listing.problems[0]!.message, /trolley-plugin-broken@0\.0\.1 failed to register its extensions \(cannot find my config file\)/);
  const status = await cli.run(['db', 'status', '--json']);
  t.is(status.code, 0, status.stderr);
});
