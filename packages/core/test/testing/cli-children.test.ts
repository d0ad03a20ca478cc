import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cliSandbox, type Teardown } from '../../src/testing/index.js';

// A command that runs until it is stopped.
const SERVE = ['serve', '--no-auth', '--port', '0'];

/** Whether a process is still there (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(fs.existsSync(stat) && / Z /.test(fs.readFileSync(stat, 'utf8')));
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (!alive(pid)) return true;
  return !alive(pid);
}

/** A teardown list run by hand, as the test runner runs it (last registered first). */
function manualTeardown(): Teardown & { run(): Promise<void> } {
  const fns: Array<() => unknown> = [];
  return {
    teardown: (fn) => void fns.push(fn),
    run: async () => {
      for (const fn of fns.reverse()) await fn();
    },
  };
}

test('a command that outlasts its timeout is ended with its process group, and the run fails naming it', async (t) => {
  const cli = cliSandbox(t);
  const error = await t.throwsAsync(cli.run(SERVE, { timeoutMs: 1_500 }));
  t.regex(error?.message ?? '', /^trolley serve --no-auth --port 0 did not finish within 1\.5 s, so the test ended it \(pid (\d+)\)/);
  const pid = Number(/\(pid (\d+)\)/.exec(error?.message ?? '')![1]);
  t.false(alive(pid), `process ${pid} is gone`);
  t.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, 'and so is its process group');
});

test('the teardown ends a child the test started and left running', async (t) => {
  const teardown = manualTeardown();
  const cli = cliSandbox(teardown);
  const child: ChildProcess = cli.spawn(SERVE);
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.true(alive(child.pid!), 'running before the teardown');
  await teardown.run();
  t.not(child.exitCode ?? child.signalCode, null, 'exited');
  t.false(alive(child.pid!));
  t.false(fs.existsSync(cli.home), 'and its files are removed');
});

test('a child whose test process is killed before any teardown ends itself', async (t) => {
  // A stand-in for a test process that the runner kills on a timeout: it starts a command and waits.
  const testing = new URL('../../src/testing/index.js', import.meta.url).href;
  const script = `
    import { cliSandbox } from ${JSON.stringify(testing)};
    const child = cliSandbox({ teardown() {} }).spawn(${JSON.stringify(SERVE)});
    console.log(child.pid);
    setInterval(() => {}, 1000);
  `;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => holder.kill('SIGKILL'));
  const pid = Number(await new Promise<string>((resolve) => createInterface({ input: holder.stdout! }).once('line', resolve)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.true(alive(pid), 'the command runs');
  holder.kill('SIGKILL');
  t.true(await goneWithin(pid, 10_000), `process ${pid} ended itself after its test process died`);
});
