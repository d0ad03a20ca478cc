import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const rootPackage = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { engines: { node: string }; workspaces: string[] };
const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string }; dev?: boolean; version?: string }> };

test('npm reads the project config without a warning (no unknown key in .npmrc)', (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-home-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  // Only the project's own config: an empty home, no npm_config_* from the environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const run = spawnSync('npm', ['config', 'list'], { cwd: repo, env: { ...env, HOME: home }, encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  t.false(/warn/i.test(run.stderr), run.stderr);
  t.false(fs.readFileSync(path.join(repo, '.npmrc'), 'utf8').includes('onnxruntime'), 'the onnxruntime switch is an environment variable where it is needed, not project config');
});

test('engines are true: every locked package accepts the lowest Node the project and each package claim', (t) => {
  const claims = [rootPackage.engines.node];
  for (const dir of ['packages', 'examples']) {
    for (const name of fs.readdirSync(path.join(repo, dir))) {
      const file = path.join(repo, dir, name, 'package.json');
      if (fs.existsSync(file)) claims.push((JSON.parse(fs.readFileSync(file, 'utf8')) as { engines: { node: string } }).engines.node);
    }
  }
  const rootMin = semver.minVersion(rootPackage.engines.node)!.version;
  const packageMin = semver.minVersion(claims.slice(1).sort((a, b) => semver.compare(semver.minVersion(a)!, semver.minVersion(b)!))[0]!)!.version;
  const refused: string[] = [];
  // The optional MiniLM plugin is installed from its own lock: what it installs must run there too.
  const minilm = JSON.parse(fs.readFileSync(path.join(repo, 'packages/plugin-subs-minilm/package-lock.json'), 'utf8')) as typeof lock;
  const locked = [...Object.entries(lock.packages), ...Object.entries(minilm.packages).filter(([where]) => where).map(([where, entry]) => [`plugin-subs-minilm: ${where}`, entry] as const)];
  t.true(locked.some(([where]) => where.endsWith('node_modules/@huggingface/transformers')), 'the MiniLM runtime is in the optional lock');
  for (const [where, entry] of locked) {
    const range = entry.engines?.node;
    if (!where || !range) continue;
    // Development tools run on the repository's Node; what a package installs must run on the packages' lowest.
    const node = entry.dev ? rootMin : packageMin;
    if (!semver.satisfies(node, range)) refused.push(`${where}@${entry.version} wants ${range}, not ${node}`);
  }
  t.deepEqual(refused, []);
  t.is(semver.minVersion(rootPackage.engines.node)!.major, 20, 'the project runs on Node 20');
});

test('no cookie@2 (Node 22 only): light-my-request, which fastify brings, is held at a version on cookie@1', (t) => {
  const cookies = Object.entries(lock.packages).filter(([where]) => /(^|\/)node_modules\/cookie$/.test(where));
  t.true(cookies.length > 0);
  for (const [where, entry] of cookies) t.is(semver.major(entry.version!), 1, where);
  const tree = execFileSync('npm', ['ls', 'cookie', '--all', '--json'], { cwd: repo, encoding: 'utf8' });
  t.false(tree.includes('"version": "2.'), tree);
});

test('the default install carries no MiniLM runtime: onnxruntime, sharp and transformers.js are only in the optional plugin-subs-minilm, which is not a workspace', (t) => {
  const heavy = Object.keys(lock.packages).filter((where) => /node_modules\/(onnxruntime-[a-z]+|sharp|@huggingface\/transformers|@img\/sharp-[^/]+)$/.test(where));
  t.deepEqual(heavy, []);
  t.false(rootPackage.workspaces.some((pattern) => pattern === 'packages/plugin-subs-minilm' || pattern === 'packages/*'), 'not installed by the root npm ci');
  const minilm = JSON.parse(fs.readFileSync(path.join(repo, 'packages/plugin-subs-minilm/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  t.truthy(minilm.dependencies['@huggingface/transformers']);
});
