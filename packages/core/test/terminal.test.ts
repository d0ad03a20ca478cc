import test from 'ava';
import { spawn } from 'node:child_process';
import { cliSandbox, TROLLEY_BIN } from '../src/testing/index.js';

/**
 * What a terminal shows for a byte stream: each `\r` goes back to the line's start and `ESC[K`
 * erases the rest, so of each line only what was written after the last `\r` stays.
 */
export function screenLines(output: string): string[] {
  return output
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split(/\r?\n/)
    .map((line) => {
      const parts = line.split('\r');
      return parts[parts.length - 1]!.replace(/\u001b\[K/g, '');
    });
}

test('screenLines keeps what a terminal keeps', (t) => {
  t.deepEqual(screenLines('\r\u001b[Kimport 1/2\r\u001b[Kdone import\nnext\r\n'), ['done import', 'next', '']);
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a shell command on a pseudo-terminal (`script` from util-linux), as in tmux: stdout and stderr are a TTY. */
async function onTerminal(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

test('pipeline --sample on a fresh home, in a pseudo-terminal: at most 40 lines, the summary intact, no progress left in a line', async (t) => {
  t.timeout(600_000);
  const cli = cliSandbox(t);
  const env: NodeJS.ProcessEnv = { ...cli.env, TERM: 'xterm', TROLLEY_LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  // `script` (util-linux) runs the command on a pseudo-terminal: stderr and stdout are a TTY, as in tmux.
  const command = `stty cols 120 rows 50; ${quote(process.execPath)} ${quote(TROLLEY_BIN)} pipeline --sample`;
  const { code, output } = await onTerminal(command, env);
  t.is(code, 0, output);
  const lines = screenLines(output).filter((line, i, all) => !(i === all.length - 1 && line === ''));
  t.log(`${lines.length} lines on the terminal`);
  t.true(lines.length <= 40, lines.join('\n'));
  t.true(output.includes('\r\u001b[K'), 'a progress line was drawn');
  for (const start of ['Stores: 40; products: ', 'Price rows: ', 'Time: import ']) {
    t.is(lines.filter((line) => line.startsWith(start)).length, 1, `one intact "${start}" line`);
  }
  for (const step of ['import', 'groups', 'substitutions', 'bargains']) t.true(lines.some((line) => new RegExp(`^done +${step} `).test(line)), step);
  // Every line is either a log line, a step, the summary or blank: no half-drawn progress in front of one.
  const progressLeft = lines.filter((line) => /\d+\/\d+ [\d.,]+\/s/.test(line));
  t.deepEqual(progressLeft, []);
  t.regex(output, /\r\u001b\[Kopening the database \d+s/, 'creating the database showed a progress line');

  // The steps' own commands show the same line while they work, and leave only their result.
  for (const step of ['groups maintain', 'bargains generate', 'subs generate']) {
    const run = await onTerminal(`stty cols 120 rows 50; ${quote(process.execPath)} ${quote(TROLLEY_BIN)} ${step}`, env);
    t.is(run.code, 0, run.output);
    t.true(run.output.includes(`\r\u001b[K${step} 0s`), `${step} drew its progress line: ${JSON.stringify(run.output)}`);
    t.deepEqual(screenLines(run.output).filter((line) => line.startsWith(step)), [], 'and cleared it');
  }
});
