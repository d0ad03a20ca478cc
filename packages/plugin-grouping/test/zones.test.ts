import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliSandbox } from '@trolley/core/testing';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

test(`from singletons, groups maintain finds exactly the price zones of trolley sample, rogue stores alone (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const json = async (args: string[]) => {
    const r = await cli.run([...args, '--json'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-zones-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sample = await json(['sample', '--out', dir, '--stores', '60', '--products', '200', '--companies', 'aldi', '--zones', '3', '--rogue', '2', '--seed', '5']);
  await json(['import', dir]);
  const report = await json(['groups', 'maintain']);
  const truth = new Map<string, string[]>();
  for (const s of sample.storeList as Array<{ zone: number | null; storeId: string }>) {
    const key = s.zone === null ? `rogue ${s.storeId}` : `zone ${s.zone}`;
    truth.set(key, [...(truth.get(key) ?? []), s.storeId]);
  }
  const canonical = (groups: string[][]) => groups.map((g) => [...g].sort().join(',')).sort();
  const shown = await json(['groups', 'show']);
  t.deepEqual(canonical(shown.groups.map((g: { members: string[] }) => g.members)), canonical([...truth.values()]));
  t.is(report.groups.after, 5);
  t.true(report.merge.comparisons <= 10, `${report.merge.comparisons} comparisons of ${report.merge.naivePairs} naive pairs`);
  t.is(report.merge.naivePairs, (60 * 59) / 2);
});
