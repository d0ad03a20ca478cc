import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { cliSandbox } from '../../src/testing/index.js';
import { ALDI, FIXTURES, IGA } from './helpers.js';

test('trolley products search and trolley basket split, on imported real files', async (t) => {
  const cli = cliSandbox(t, { database: process.env.TEST_DATABASE_URL ? 'server' : 'embedded' });
  const imported = await cli.run(['import', FIXTURES + ALDI, FIXTURES + IGA]);
  t.is(imported.code, 0, imported.stderr);

  const search = await cli.run(['products', 'search', 'short cut bacn', '--json']);
  t.is(search.code, 0, search.stderr);
  const hits = JSON.parse(search.stdout).items as Array<{ id: number; name: string; brand: string }>;
  t.deepEqual(hits.slice(0, 2).map((h) => h.name).sort(), ['Short Cut Bacon 1kg', 'Short Cut Bacon 500g']);
  const table = await cli.run(['products', 'search', 'bacon', '--company', 'aldi', '--limit', '3']);
  t.regex(table.stdout, /^ID\s+NAME\s+BRAND/m);

  const iga = (await cli.run(['products', 'search', 'salad leaves', '--company', 'iga', '--json'])).stdout;
  const barcode = (JSON.parse(iga).items as Array<{ barcode: string | null }>).find((h) => h.barcode)!.barcode!;
  const list = path.join(cli.home, 'list.txt');
  fs.mkdirSync(cli.home, { recursive: true });
  fs.writeFileSync(list, `# my shop\nshort cut bacon 500g, 2\n${barcode}, 1\n\n`);
  const split = await cli.run(['basket', 'split', list, '--stores', 'aldi:G467,iga:' + (await storeCode(cli)), '--max-stores', '2', '--json']);
  t.is(split.code, 0, split.stderr);
  const plan = JSON.parse(split.stdout);
  t.is(plan.items.length, 2);
  t.is(plan.stores.length, 2);
  t.deepEqual(plan.unserved, []);
  t.is(plan.items.find((i: { quantity: number }) => i.quantity === 2).cost, (Number(plan.items.find((i: { quantity: number }) => i.quantity === 2).price) * 2).toFixed(2));

  const human = await cli.run(['basket', 'split', list, '--stores', 'aldi:G467', '--max-stores', '1']);
  t.is(human.code, 0, human.stderr);
  t.regex(human.stdout, /Total \d+\.\d\d at aldi/);
  t.regex(human.stdout, /Not bought: \d+ \(sold at none of the stores\)/);

  fs.writeFileSync(list, `bacon, many\n`);
  const bad = await cli.run(['basket', 'split', list, '--stores', 'aldi:G467']);
  t.is(bad.code, 3);
  t.regex(bad.stderr, /line 1: the quantity "many" is not a whole number/);
  const noStore = await cli.run(['basket', 'split', list, '--stores', 'aldi:NOPE']);
  t.is(noStore.code, 3);
});

async function storeCode(cli: ReturnType<typeof cliSandbox>): Promise<string> {
  const text = (await import('node:zlib')).gunzipSync(fs.readFileSync(FIXTURES + IGA)).toString('utf8');
  return JSON.parse(text.split('\n')[0]!).metadata.store_id as string;
}
