// Install anywhere, offline: the packed tarballs of @trolley/core and its plugins installed in a
// folder outside the clone, with a fresh HOME, from the npm cache only (`--offline`: nothing is
// downloaded), exactly as README "Installing trolley elsewhere" says. Then, from another folder:
// `trolley --help`, `trolley pipeline --sample`, `trolley plugins install <tarball>` of the example
// plugin, and a third-party plugin built with tsc outside the monorepo against the packed core.
import test from 'ava';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, uniqueSchema } from '../src/testing/index.js';
import type { PipelineResult } from '../src/commands/pipeline.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const TYPESCRIPT = path.join(repo, 'node_modules/typescript/bin/tsc');
const THIRD_PARTY = fileURLToPath(new URL('../../test/fixtures/third-party-plugin/', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The npm cache the clone's own install filled (asked before HOME changes). */
async function npmCache(): Promise<string> {
  const result = await run('npm', ['config', 'get', 'cache'], { cwd: repo, env: process.env });
  return result.stdout.trim();
}

test('packed tarballs install offline in a fresh folder with a fresh HOME; trolley --help, pipeline --sample and plugins install of a tarball work there, and a third-party plugin builds against the packed core', async (t) => {
  t.timeout(15 * 60_000);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-packed-')));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const release = path.join(tmp, 'release');
  const global = path.join(tmp, 'global');
  const home = path.join(tmp, 'home');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(home);
  fs.mkdirSync(work);

  // Only what a user's shell would have: no npm_* variables of the `npm test` that runs this.
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.join(global, 'bin')}:${process.env.PATH}`,
    HOME: home,
    npm_config_cache: await npmCache(),
    npm_config_offline: 'true',
    npm_config_prefix: global,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const server = process.env.TEST_DATABASE_URL;
  if (server) {
    const schema = uniqueSchema('packed');
    Object.assign(env, { DATABASE_URL: server, TROLLEY_DATABASE_SCHEMA: schema });
    t.teardown(() => dropSchema(server, schema));
  }

  // 1. Pack, then install the release folder from the npm cache alone.
  const packed = await run(process.execPath, [path.join(repo, 'scripts/pack.mjs'), '--out', release, '--also', 'examples/plugin-anagrams'], { cwd: repo, env: { PATH: process.env.PATH, HOME: home } });
  t.is(packed.code, 0, packed.stderr);
  const { tarballs } = JSON.parse(packed.stdout) as { tarballs: Record<string, string> };
  t.true(fs.existsSync(tarballs['@trolley/core']!));
  const install = await run('npm', ['ci'], { cwd: release, env });
  t.is(install.code, 0, `npm ci --offline in the release folder failed:\n${install.stderr}`);
  t.notRegex(install.stderr, /npm warn/i, 'no npm warning');
  t.false(fs.existsSync(path.join(release, 'node_modules/onnxruntime-node')), 'the default install carries no onnxruntime');
  t.false(fs.existsSync(path.join(release, 'node_modules/@trolley/core/dist/test')), 'the tarball holds no tests');

  // 2. `npm link` puts `trolley` on the PATH (here: the prefix's bin), pointing into the release.
  const link = await run('npm', ['link'], { cwd: path.join(release, 'node_modules/@trolley/core'), env });
  t.is(link.code, 0, link.stderr);
  const bin = path.join(global, 'bin', 'trolley');
  t.is(fs.realpathSync(bin), path.join(release, 'node_modules/@trolley/core/bin/run.js'));

  const help = await run('trolley', ['--help'], { cwd: work, env });
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /^ {2}pipeline\s/m);
  t.regex(help.stdout, /^ {2}subs\s/m, 'the bundled plugins are found');
  t.notRegex(help.stdout + help.stderr, new RegExp(repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'nothing from the clone');

  // 3. The whole cycle on a sample, in a home that did not exist before.
  const pipeline = await run('trolley', ['pipeline', '--sample', '--json', '--log-level', 'warn'], { cwd: work, env });
  t.is(pipeline.code, 0, pipeline.stderr);
  const result = JSON.parse(pipeline.stdout) as PipelineResult;
  t.is(result.failed, null);
  t.like(result.sample, { written: true, files: 80 });
  t.deepEqual(result.steps.map((s) => s.step), ['import', 'groups', 'substitutions', 'bargains']);
  t.is(result.figures.stores, 40);
  t.true(result.figures.products > 0);

  // 4. The example plugin from its tarball, named by a plain path (not a file: spec).
  const anagrams = await run('trolley', ['plugins', 'install', tarballs['trolley-plugin-anagrams']!], { cwd: work, env });
  t.is(anagrams.code, 0, anagrams.stderr);

  // 5. A third-party plugin outside the monorepo: `npm link @trolley/core` (the packed one), tsc,
  //    npm pack, then `trolley plugins install ./its.tgz` from its own folder.
  const plugin = path.join(tmp, 'same-brand');
  fs.cpSync(THIRD_PARTY, plugin, { recursive: true });
  const linkCore = await run('npm', ['link', '@trolley/core'], { cwd: plugin, env });
  t.is(linkCore.code, 0, linkCore.stderr);
  t.is(fs.realpathSync(path.join(plugin, 'node_modules/@trolley/core')), path.join(release, 'node_modules/@trolley/core'));
  const tsc = await run(process.execPath, [TYPESCRIPT, '-p', '.'], { cwd: plugin, env });
  t.is(tsc.code, 0, `tsc against the packed core failed:\n${tsc.stdout}${tsc.stderr}`);
  const pack = await run('npm', ['pack', '--json'], { cwd: plugin, env });
  t.is(pack.code, 0, pack.stderr);
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  const sameBrand = await run('trolley', ['plugins', 'install', `./${filename}`], { cwd: plugin, env });
  t.is(sameBrand.code, 0, sameBrand.stderr);

  const listing = await run('trolley', ['extensions', '--json', '--kind', 'SubstitutionGenerator'], { cwd: work, env });
  t.is(listing.code, 0, listing.stderr);
  const ids = (JSON.parse(listing.stdout) as { extensions: Array<{ id: string; plugin: string }> }).extensions.map((e) => `${e.plugin}:${e.id}`);
  t.true(ids.includes('trolley-plugin-anagrams:lvl5-anagram'), ids.join(', '));
  t.true(ids.includes('trolley-plugin-same-brand:lvl6-same-brand'), ids.join(', '));
  t.true(ids.includes('@trolley/plugin-subs:lvl1'));
});
