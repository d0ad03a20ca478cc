/**
 * A read-only or full disk under the trolley home, made for real: each command runs in a mount
 * namespace of its own (`unshare --map-root-user --mount`, which needs no privilege where user
 * namespaces are enabled, as on Debian), where the home is a read-only bind mount or a small tmpfs.
 * Each case gets one sentence with its cause and exit 5, never exit 1 or an SQL statement, and loses
 * nothing: once there is room again, the same import completes whole.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliSandbox, TROLLEY_BIN, type CliSandbox } from '../src/testing/index.js';

interface Step {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `setup` (shell, as root of the namespace) and then each trolley command in one private mount
 * namespace; `between[i]` (shell) runs after command i. The mounts vanish with the namespace.
 */
async function inMountNamespace(cli: CliSandbox, setup: string, commands: readonly string[][], between: readonly string[] = []): Promise<Step[]> {
  const out = fs.mkdtempSync(path.join(path.dirname(cli.home), 'steps-'));
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const script = [
    'set -u',
    setup,
    ...commands.flatMap((args, i) => [
      `"$NODE" "$TROLLEY" ${args.map(quote).join(' ')} >${out}/${i}.out 2>${out}/${i}.err; echo $? >${out}/${i}.code`,
      between[i] ?? '',
    ]),
  ].join('\n');
  const child = spawn('unshare', ['--map-root-user', '--mount', 'sh', '-c', script], {
    env: { ...cli.env, NODE: process.execPath, TROLLEY: TROLLEY_BIN, H: cli.home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the mount namespace's script failed (exit ${code}): ${stderr}`);
  return commands.map((_, i) => ({
    code: Number(fs.readFileSync(path.join(out, `${i}.code`), 'utf8')),
    stdout: fs.readFileSync(path.join(out, `${i}.out`), 'utf8'),
    stderr: fs.readFileSync(path.join(out, `${i}.err`), 'utf8'),
  }));
}

/** The one line the user reads: "trolley: <sentence>", with no SQL and no stack. */
function oneSentence(t: import('ava').ExecutionContext, step: Step, pattern: RegExp): void {
  const lines = step.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
  t.is(lines.length, 1, step.stderr);
  t.regex(lines[0]!, pattern);
  t.notRegex(step.stderr, /undefined|\bat \S+:\d+|insert into|select |portal/i);
}

const mountTmpfs = (size: string) => `mkdir -p "$H" && mount -t tmpfs -o size=${size} tmpfs "$H"`;
/** Fills the home's disk with a file that leaves `freeKiB` free. */
const leaveFree = (freeKiB: number) => `fallocate -l "$(( ($(df -k --output=avail "$H" | tail -n 1) - ${freeKiB}) * 1024 ))" "$H/filler"`;

test('a read-only trolley home: exit 5 and one sentence for every command, even prices count; the database is untouched', async (t) => {
  const cli = cliSandbox(t);
  t.is((await cli.run(['prices', 'count', '--json'])).code, 0);
  const inbox = path.join(path.dirname(cli.home), 'inbox');
  t.is((await cli.run(['sample', '--out', inbox, '--stores', '2', '--products', '20', '--json'])).code, 0);
  const [count, imported] = await inMountNamespace(cli, 'mount --bind "$H" "$H" && mount -o remount,bind,ro "$H"', [
    ['prices', 'count'],
    ['import', inbox],
  ]);
  t.is(count!.code, 5, count!.stderr);
  oneSentence(t, count!, /^trolley: The embedded database's lock file .*db\.lock cannot be written \(the disk is read-only\); set TROLLEY_HOME to a writable folder/);
  t.is(imported!.code, 5, imported!.stderr);
  oneSentence(t, imported!, /lock file .* cannot be written \(the disk is read-only\)/);
  // Writable again (outside the namespace): the same database opens as before.
  const after = await cli.run(['prices', 'count', '--json']);
  t.is(after.code, 0, after.stderr);
  t.is(JSON.parse(after.stdout).total, 0);
});

test('a disk too full to create the embedded database: exit 5, the sentence says the disk is full, and the next run with room creates it', async (t) => {
  const cli = cliSandbox(t);
  const [full, roomy] = await inMountNamespace(cli, mountTmpfs('4m'), [['prices', 'count'], ['prices', 'count', '--json']], ['mount -o remount,size=256m "$H"']);
  t.is(full!.code, 5, full!.stderr);
  oneSentence(t, full!, /^trolley: The embedded database at .*db cannot be opened because the disk holding it is full \(.*MB free\); free some space and run the command again/);
  t.is(roomy!.code, 0, roomy!.stderr);
  t.is(JSON.parse(roomy!.stdout).total, 0);
});

test('the disk fills up during an import: exit 5 with the database\'s own cause, no file half-written, nothing lost; with room again the import completes', async (t) => {
  const cli = cliSandbox(t);
  const inbox = path.join(path.dirname(cli.home), 'inbox');
  const sample = await cli.run(['sample', '--out', inbox, '--stores', '24', '--products', '3000', '--companies', 'aldi,iga', '--json']);
  t.is(sample.code, 0, sample.stderr);
  const files = fs.readdirSync(inbox).sort();
  const [created, full, stillFull, retried, counted] = await inMountNamespace(
    cli,
    mountTmpfs('512m'),
    [['prices', 'count', '--json'], ['import', inbox], ['prices', 'count'], ['import', inbox, '--json'], ['prices', 'count', '--by', 'store', '--json']],
    [leaveFree(8 * 1024), '', 'rm "$H/filler"'],
  );
  t.is(created!.code, 0, created!.stderr);
  t.is(full!.code, 5, full!.stderr);
  oneSentence(t, full!, /^trolley: The disk holding the database is full \(.*No space left on device\); free some space and run the command again/);
  // While the disk is still full the database will not open: said as a full disk, not as a broken database to move away.
  t.is(stillFull!.code, 5, stillFull!.stderr);
  oneSentence(t, stillFull!, /disk holding it is full/);
  t.notRegex(stillFull!.stderr, /move that directory away/);
  // With room again: every file is in whole (imported now, or whole before the disk filled up).
  t.is(retried!.code, 0, retried!.stderr);
  const totals = JSON.parse(retried!.stdout).totals;
  t.is(totals.failed, 0);
  t.is(totals.imported + totals.stale, files.length);
  t.true(totals.imported > 0, 'the disk filled before the last file');
  const byStore = JSON.parse(counted!.stdout);
  t.is(byStore.stores, files.length);
  // Each store holds its whole file: 3,000 current prices and 3,000 first history rows.
  t.deepEqual(new Set(byStore.breakdown.map((row: { rows: number }) => row.rows)), new Set([6000]), JSON.stringify(byStore.breakdown.slice(0, 3)));
  t.true(byStore.breakdown.every((row: Record<string, unknown>) => typeof row.code === 'string' && !('storeId' in row)), 'a store\'s own code is `code`');
  t.deepEqual(fs.readdirSync(inbox).sort(), files, 'the source files are all still there');
});

test('the disk fills up during groups maintain: exit 5 with the cause, not an internal error; with room again it completes', async (t) => {
  const cli = cliSandbox(t);
  const inbox = path.join(path.dirname(cli.home), 'inbox');
  t.is((await cli.run(['sample', '--out', inbox, '--stores', '24', '--products', '3000', '--companies', 'aldi,iga', '--json'])).code, 0);
  const [imported, full, retried] = await inMountNamespace(
    cli,
    mountTmpfs('512m'),
    [['import', inbox, '--json'], ['groups', 'maintain'], ['groups', 'maintain', '--json']],
    // 64 KiB: room for the lock file, none for maintain's temporary tables and catalogue pages
    // (with 1 MiB free a maintain of this size can fit, and then the test would test nothing).
    [leaveFree(64), 'rm "$H/filler"'],
  );
  t.is(imported!.code, 0, imported!.stderr);
  t.is(full!.code, 5, full!.stderr);
  oneSentence(t, full!, /^trolley: The disk holding the database is full \(.*No space left on device\); free some space and run the command again \(the step in hand was rolled back/);
  t.is(retried!.code, 0, retried!.stderr);
});
