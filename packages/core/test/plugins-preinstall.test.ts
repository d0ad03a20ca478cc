import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localPluginPath } from '../src/hooks/plugins-preinstall.js';

test('plugins install: a path that exists (relative, absolute, a tarball without a slash) is a local install; a GitHub slug, an npm name and a missing path stay what oclif made of them', (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-preinstall-')));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tarball = path.join(dir, 'plugin-1.0.0.tgz');
  fs.writeFileSync(tarball, '');
  fs.mkdirSync(path.join(dir, 'some-plugin'));
  // What oclif's `plugins install` makes of each argument before the hook runs.
  t.is(localPluginPath({ type: 'repo', url: 'https://github.com/./plugin-1.0.0.tgz' }, dir), tarball);
  t.is(localPluginPath({ type: 'repo', url: `https://github.com/${tarball}` }, '/'), tarball);
  t.is(localPluginPath({ type: 'repo', url: 'https://github.com/./some-plugin' }, dir), path.join(dir, 'some-plugin'));
  t.is(localPluginPath({ type: 'npm', name: 'plugin-1.0.0.tgz', tag: 'latest' }, dir), tarball);
  t.is(localPluginPath({ type: 'repo', url: 'https://github.com/oclif/plugin-version' }, dir), undefined);
  t.is(localPluginPath({ type: 'repo', url: 'https://github.com/./missing.tgz' }, dir), undefined);
  t.is(localPluginPath({ type: 'npm', name: 'some-plugin', tag: 'latest' }, dir), undefined, 'a bare name is an npm package, even when a folder has that name');
  t.is(localPluginPath({ type: 'repo', url: 'git+https://example.com/x.git' }, dir), undefined);
});
