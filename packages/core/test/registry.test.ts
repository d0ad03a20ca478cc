import 'reflect-metadata';
import test from 'ava';
import { container } from 'tsyringe';
import { ExtensionRegistry } from '../src/extensions/registry.js';
import type { ExtensionDeclaration } from '../src/extensions/api.js';
import { isTrolleyError } from '../src/errors.js';

const plugin = { name: 'acme-plugin', version: '2.3.4' };
const scraper = (id: string, apiVersion = '1.0.0'): ExtensionDeclaration => ({
  kind: 'Scraper',
  id,
  apiVersion,
  create: () => ({ id, company: 'acme', capabilities: ['barcodes'] }),
});

test('registers declarations with the plugin that made them', (t) => {
  const registry = new ExtensionRegistry('1.0.0');
  registry.addFrom(plugin, [scraper('acme'), scraper('acme-2', '1.7.0')]);
  t.deepEqual(
    registry.list().map((e) => [e.kind, e.id, e.plugin.name, e.apiVersion]),
    [
      ['Scraper', 'acme', 'acme-plugin', '1.0.0'],
      ['Scraper', 'acme-2', 'acme-plugin', '1.7.0'],
    ],
  );
  t.deepEqual(registry.problems, []);
});

test('refuses a declaration built for another major API version, naming the plugin and both versions', (t) => {
  const registry = new ExtensionRegistry('1.0.0');
  registry.addFrom(plugin, [scraper('old', '2.0.0'), scraper('ok')]);
  t.deepEqual(registry.list().map((e) => e.id), ['ok']);
  t.is(registry.problems.length, 1);
  const [problem] = registry.problems;
  t.is(problem?.problem, 'incompatible');
  t.regex(problem?.message ?? '', /acme-plugin@2\.3\.4/);
  t.regex(problem?.message ?? '', /API 2\.0\.0/);
  t.regex(problem?.message ?? '', /speaks 1\.0\.0/);
});

test('skips malformed declarations and a hook that returns no list, with a reason each', (t) => {
  const registry = new ExtensionRegistry('1.0.0');
  registry.addFrom(plugin, 'not a list');
  registry.addFrom(plugin, [null, { kind: 'Teleporter', id: 'x', apiVersion: '1.0.0', create() {} }, { kind: 'Scraper', id: 'x', apiVersion: '1.0.0' }, { kind: 'Scraper', id: '', apiVersion: '1', create() {} }]);
  t.is(registry.list().length, 0);
  t.deepEqual(registry.problems.map((p) => p.problem), ['invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
  t.regex(registry.problems[0]!.message, /instead of a list/);
  t.regex(registry.problems[2]!.message, /unknown kind "Teleporter"/);
  t.regex(registry.problems[3]!.message, /no create\(\) factory/);
});

test('keeps the first of two extensions with the same kind and id', (t) => {
  const registry = new ExtensionRegistry('1.0.0');
  registry.addFrom({ name: 'first', version: '1.0.0' }, [scraper('same')]);
  registry.addFrom({ name: 'second', version: '1.0.0' }, [scraper('same')]);
  t.is(registry.find('Scraper', 'same')?.plugin.name, 'first');
  t.is(registry.problems[0]?.problem, 'duplicate');
  t.regex(registry.problems[0]?.message ?? '', /second@1\.0\.0 registers Scraper "same", which first already registered/);
});

test('creates an extension once per invocation and names the known ids for an unknown one', async (t) => {
  const registry = new ExtensionRegistry('1.0.0');
  let created = 0;
  registry.addFrom(plugin, [
    { kind: 'Scraper', id: 'counted', apiVersion: '1.0.0', create: () => ({ id: `counted-${++created}`, company: 'acme', capabilities: [] }) },
  ]);
  const child = container.createChildContainer();
  const first = await registry.get('Scraper', 'counted', child);
  const second = await registry.get('Scraper', 'counted', child);
  t.is(first, second);
  t.is(created, 1);
  const error = await t.throwsAsync(registry.get('Scraper', 'nope', child));
  t.true(isTrolleyError(error));
  t.regex(error?.message ?? '', /No Scraper named "nope" is installed; choose one of counted\./);
  const none = await t.throwsAsync(registry.get('Embedder', 'minilm', child));
  t.regex(none?.message ?? '', /install a plugin that provides one/);
});
