#!/usr/bin/env node
// Writes oclif.manifest.json for the core and every plugin, so `trolley` starts without scanning
// command files. The same thing `oclif manifest` does, without its heavy dev dependency.
// Usage: node scripts/manifests.mjs [--clean]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaces = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces;
const dirs = workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? fs.readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(pattern.slice(0, -2), d.name))
    : [pattern],
);

for (const dir of dirs) {
  const pluginRoot = path.join(root, dir);
  const pjsonPath = path.join(pluginRoot, 'package.json');
  if (!fs.existsSync(pjsonPath) || !JSON.parse(fs.readFileSync(pjsonPath, 'utf8')).oclif) continue;
  const target = path.join(pluginRoot, 'oclif.manifest.json');
  fs.rmSync(target, { force: true });
  if (process.argv.includes('--clean')) continue;
  const plugin = new Plugin({ root: pluginRoot, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  fs.writeFileSync(target, JSON.stringify(plugin.manifest, null, 2) + '\n');
  console.log(`${dir}: ${Object.keys(plugin.manifest.commands).length} command(s) in oclif.manifest.json`);
}
