#!/usr/bin/env node
// Packs trolley for installing anywhere: `npm pack` of @trolley/core and every published plugin
// into OUT/packs, plus OUT/package.json and OUT/package-lock.json that install exactly those
// tarballs with exactly the dependency versions this clone's lock file pins. The lock is what
// makes the install reproducible and able to run offline: `npm ci --offline` in OUT needs only
// the tarballs that the clone's own `npm ci` already put in the npm cache, no registry metadata.
//
//   npm run build && node scripts/pack.mjs --out ~/trolley-release
//   cd ~/trolley-release && npm ci            # (--offline: from the npm cache only)
//   export PATH="$HOME/trolley-release/node_modules/.bin:$PATH"; trolley --help
//
// Usage: node scripts/pack.mjs --out DIR [--also DIR ...]   (--also: extra package folders to pack,
// e.g. examples/plugin-anagrams; they go into DIR/packs but not into the install)
// Prints one JSON line: { out, tarballs: { name: file } }.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' }, also: { type: 'string', multiple: true, default: [] } } });
if (!values.out) {
  console.error('Give the folder to write with --out DIR (for example --out /tmp/trolley-release).');
  process.exit(2);
}
const out = path.resolve(values.out);
const packs = path.join(out, 'packs');
fs.mkdirSync(packs, { recursive: true });

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const lock = readJson(path.join(root, 'package-lock.json'));
const rootPjson = readJson(path.join(root, 'package.json'));

// The published packages: every workspace that is not private (examples are private).
const workspaceDirs = rootPjson.workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? fs.readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${pattern.slice(0, -2)}/${d.name}`)
    : [pattern],
);
const published = workspaceDirs.filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')) && !readJson(path.join(root, dir, 'package.json')).private);
for (const dir of published) {
  if (!fs.existsSync(path.join(root, dir, 'dist'))) {
    console.error(`${dir} is not built: run npm run build first.`);
    process.exit(3);
  }
}

// npm pack of a folder runs no lifecycle script here (the packages have none): the tarballs hold
// what `npm run build` wrote, as listed in each package's "files".
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', packs, ...[...published, ...values.also].map((dir) => path.resolve(root, dir))], { cwd: root, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
);
const tarballOf = new Map(packed.map((p) => [p.name, { file: p.filename, integrity: p.integrity, dir: null }]));
for (const dir of [...published, ...values.also]) tarballOf.get(readJson(path.join(root, dir, 'package.json')).name).dir = dir;

// The install's lock, derived from the clone's: every package the published workspaces need at run
// time (not dev-only), at the same place in node_modules; each workspace link becomes its tarball.
const installLock = { name: 'trolley-install', version: '0.0.0', lockfileVersion: 3, requires: true, packages: {} };
const dependencies = {};
for (const dir of published) {
  const { name } = readJson(path.join(root, dir, 'package.json'));
  dependencies[name] = `file:packs/${tarballOf.get(name).file}`;
}
installLock.packages[''] = { name: 'trolley-install', version: '0.0.0', dependencies };
const publishedByDir = new Map(published.map((dir) => [dir, readJson(path.join(root, dir, 'package.json')).name]));
for (const [key, entry] of Object.entries(lock.packages)) {
  if (key === '' || entry.dev) continue;
  if (key.startsWith('node_modules/')) {
    if (entry.link) {
      const name = publishedByDir.get(entry.resolved);
      if (!name) continue; // a private workspace (an example)
      const { devDependencies: _dev, ...workspace } = lock.packages[entry.resolved];
      const tarball = tarballOf.get(name);
      installLock.packages[key] = { ...workspace, resolved: `file:packs/${tarball.file}`, integrity: tarball.integrity };
    } else {
      installLock.packages[key] = entry;
    }
    continue;
  }
  // A dependency nested inside a workspace folder: packages/core/node_modules/x → node_modules/@trolley/core/node_modules/x.
  const nested = published.find((dir) => key.startsWith(`${dir}/node_modules/`));
  if (nested) installLock.packages[`node_modules/${publishedByDir.get(nested)}/${key.slice(nested.length + 1)}`] = entry;
}

fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: 'trolley-install', version: '0.0.0', private: true, description: 'trolley, installed from packed tarballs (scripts/pack.mjs)', dependencies, allowScripts: rootPjson.allowScripts }, null, 2)}\n`);
fs.writeFileSync(path.join(out, 'package-lock.json'), `${JSON.stringify(installLock, null, 2)}\n`);
console.log(JSON.stringify({ out, tarballs: Object.fromEntries([...tarballOf].map(([name, t]) => [name, path.join(packs, t.file)])) }));
