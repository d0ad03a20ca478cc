#!/usr/bin/env node
// Builds the optional packages that are not workspaces (packages/plugin-subs-minilm) when they are
// installed (their own node_modules exist), so `npm run build` and `npm test` keep their dist/ in
// step with the rest; when one is not installed it is skipped, as the default install leaves it out.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaces = new Set(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces);
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
for (const name of fs.readdirSync(path.join(root, 'packages'))) {
  const dir = `packages/${name}`;
  if (workspaces.has(dir) || !fs.existsSync(path.join(root, dir, 'tsconfig.json'))) continue;
  if (!fs.existsSync(path.join(root, dir, 'node_modules'))) continue;
  execFileSync(process.execPath, [tsc, '-b', path.join(root, dir)], { stdio: 'inherit' });
  console.log(`${dir}: built (an optional package, installed on its own)`);
}
