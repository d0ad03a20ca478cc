import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cliSandbox } from '@trolley/core/testing';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

test(`groups maintain killed (SIGKILL) after a merge leaves a consistent state that the next run completes (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const env = { TROLLEY_LOG_LEVEL: 'warn' };
  const json = async (args: string[]) => {
    const r = await cli.run([...args, '--json'], { env });
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-kill-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sample = await json(['sample', '--out', dir, '--stores', '40', '--products', '150', '--companies', 'aldi', '--zones', '2', '--rogue', '0', '--seed', '3']);
  await json(['import', dir]);
  await json(['groups', 'init']);

  // Each merge is a debug event (one line per merge would flood a terminal at info).
  const child = cli.spawn(['groups', 'maintain', '--log-format', 'json'], { env: { TROLLEY_LOG_LEVEL: 'debug' } });
  let merges = 0;
  const killed = new Promise<void>((resolve) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.includes('"event":"merge"') && ++merges === 1) child.kill('SIGKILL');
    });
    child.on('close', () => resolve());
  });
  child.stdin!.end();
  await killed;
  t.is(child.signalCode, 'SIGKILL', 'the run was killed, not finished');

  const between = await json(['groups', 'show']);
  t.is(between.totals.stores, 40, 'every store is in exactly one group');
  t.true(between.totals.groups < 40 && between.totals.groups > 2, `${between.totals.groups} groups after the kill`);

  const report = await json(['groups', 'maintain']);
  t.is(report.groups.after, 2);
  const zones = new Map<number, number>();
  for (const s of sample.storeList as Array<{ zone: number }>) zones.set(s.zone, (zones.get(s.zone) ?? 0) + 1);
  const after = await json(['groups', 'show']);
  t.deepEqual(after.groups.map((g: { stores: number }) => g.stores).sort(), [...zones.values()].sort());
  const counted = (await json(['prices', 'count'])).breakdown as Array<{ details: { current: number; exclusions: number } }>;
  t.is(counted.reduce((n, b) => n + b.details.current + b.details.exclusions, 0), 2 * 150, 'lossless: only the two anchors keep rows, and no member needs an exclusion mark');
});
