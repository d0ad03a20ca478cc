import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SCRIPT = path.join(ROOT, 'scripts/test.mjs');

/** A throwaway ava project using this repository's ava, with the given test files and inactivity timeout. */
function project(t: { teardown(fn: () => void): void }, timeout: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-test-script-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', ava: { files: ['*.test.js'], timeout, workerThreads: false } }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function runScript(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const lastLine = (stdout: string) => stdout.trim().split('\n').at(-1);

test('a file that cannot load and a test that stops making progress are failures, and the tests after them still run and count', async (t) => {
  // Long enough for a worker to start on a loaded machine; the hanging test makes the run last this long.
  const dir = project(t, '30s', {
    'a.test.js': `import test from 'ava';\ntest('fast', (t) => t.pass());\ntest('hangs', async (t) => { await new Promise(() => setInterval(() => {}, 1000)); t.pass(); });\n`,
    'b.test.js': `import test from 'ava';\nimport fs from 'node:fs';\nfs.readFileSync('/no/such/file/for/trolley');\ntest('never', (t) => t.pass());\n`,
    'c.test.js': `import test from 'ava';\ntest('other file one', (t) => t.pass());\ntest('other file two', (t) => t.pass());\n`,
  });
  const { code, stdout } = await runScript(dir);
  t.not(code, 0);
  t.regex(stdout, /not ok \d+ - Error: ENOENT: no such file or directory, open '\/no\/such\/file\/for\/trolley'/, 'the load failure, with its reason');
  t.regex(stdout, /not ok \d+ - b\.test\.js exited with a non-zero exit code/);
  t.regex(stdout, /not ok \d+ - a › hangs[\s\S]*Exited because no new tests completed within the last 30000ms of inactivity/);
  t.is(lastLine(stdout), '3 passed, 3 failed');
});

test('tests that need the full real data are counted as not run, apart from passed and skipped', async (t) => {
  const dir = project(t, '2m', {
    'd.test.js': `import test from 'ava';\ntest('runs', (t) => t.pass());\ntest.skip('whole catalogue [not run: needs TROLLEY_REAL_DATA]', () => {});\n`,
  });
  const { code, stdout } = await runScript(dir);
  t.is(code, 0, stdout);
  t.is(lastLine(stdout), '1 passed, 0 failed, 1 not run (they need the full real data files: set TROLLEY_REAL_DATA to their folder, see docs/testing.md)');
});
