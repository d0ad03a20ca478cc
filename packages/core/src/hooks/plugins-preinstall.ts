/**
 * `trolley plugins install ./plugin.tgz` (or an absolute path, or a folder): oclif's plugin-plugins
 * reads any argument with a slash in it as a GitHub `owner/repo` and would clone
 * `https://github.com/./plugin.tgz`. A path that exists on this machine is a local install: this hook
 * turns it into the `file:` spec npm installs from disk, before the install starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Hook } from '@oclif/core';

const GITHUB = 'https://github.com/';
const TARBALL = /\.(tgz|tar\.gz)$/;

type Plan = { type: 'npm'; name: string; tag: string } | { type: 'repo'; url: string };

/** The local path an install argument names, when it names one that exists. */
export function localPluginPath(plan: Plan, cwd: string): string | undefined {
  const candidate = plan.type === 'repo' ? (plan.url.startsWith(GITHUB) ? plan.url.slice(GITHUB.length) : undefined) : TARBALL.test(plan.name) ? plan.name : undefined;
  if (candidate === undefined || candidate === '') return undefined;
  const local = path.resolve(cwd, candidate);
  return fs.existsSync(local) ? local : undefined;
}

const hook: Hook<'plugins:preinstall'> = async function ({ plugin }) {
  const plan = plugin as Plan;
  const local = localPluginPath(plan, process.cwd());
  if (local === undefined) return;
  // plugin-plugins installs from the same object after this hook returns.
  Object.assign(plan, { type: 'repo', url: `file:${local}` });
};

export default hook;
