/**
 * A home trolley cannot write, and an embedded database it cannot open: each gets one sentence
 * with its cause and an exit code that is not 1. Tests run as root here, where permissions do not
 * stop a write, so the cases are made with what stops root too: a file where a folder must be, a
 * folder where the lock file must be. (A read-only mount gives EROFS on the same paths, with the
 * same sentence; full-or-read-only-disk.test.ts makes real read-only and full disks in a mount namespace.)
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { cliSandbox } from '../src/testing/index.js';

/** The one line the user reads: "trolley: <sentence>", nothing else. */
function oneSentence(t: import('ava').ExecutionContext, stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  t.is(lines.length, 1, stderr);
  t.regex(lines[0]!, pattern);
  t.notRegex(stderr, /undefined|\bat \S+:\d+|insert into|select /i);
}

test('a trolley home under a file: exit 3, one sentence with the cause', async (t) => {
  const cli = cliSandbox(t);
  const blocker = path.join(path.dirname(cli.home), 'a-file');
  fs.writeFileSync(blocker, '');
  const run = await cli.run(['prices', 'count'], { env: { TROLLEY_HOME: path.join(blocker, 'home') } });
  t.is(run.code, 3);
  oneSentence(t, run.stderr, /^trolley: Cannot create the trolley home .*a-file\/home \(ENOTDIR: not a directory.*\); set TROLLEY_HOME to a writable directory\.$/);
});

test('the lock file of the embedded database cannot be written (a folder in its place): exit 5, one sentence, even for prices count', async (t) => {
  const cli = cliSandbox(t);
  fs.mkdirSync(path.join(cli.home, 'db.lock'), { recursive: true });
  const run = await cli.run(['prices', 'count']);
  t.is(run.code, 5);
  oneSentence(t, run.stderr, /^trolley: The embedded database's lock file .*db\.lock cannot be written \(a folder is in its place\); set TROLLEY_HOME to a writable folder/);
});

test('an embedded database directory that cannot be opened (a file in its place): exit 5, and the sentence gives the cause', async (t) => {
  const cli = cliSandbox(t);
  fs.mkdirSync(cli.home, { recursive: true });
  fs.writeFileSync(path.join(cli.home, 'db'), 'not a database');
  const run = await cli.run(['prices', 'count']);
  t.is(run.code, 5);
  oneSentence(t, run.stderr, /^trolley: The embedded database at .*db cannot be opened \(ENOTDIR: a file where a folder should be\); move that directory away/);
});
