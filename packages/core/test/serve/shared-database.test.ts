import test from 'ava';
import { cliSandbox } from '../../src/testing/index.js';
import { ALDI, FIXTURES, G147, IGA } from './helpers.js';

test('while serve runs on the embedded database, other trolley commands use it through serve (read and write), and alone again after it stops', async (t) => {
  const cli = cliSandbox(t, { database: 'embedded' });
  const imported = await cli.run(['import', FIXTURES + ALDI, FIXTURES + IGA]);
  t.is(imported.code, 0, imported.stderr);

  const serve = cli.spawn(['serve', '--no-auth', '--port', '0']);
  t.teardown(() => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    serve.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving trolley at (http:\/\/[^\s]+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    serve.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });

  // Current price rows (the total also counts history rows and exclusion marks).
  const current = (stdout: string) => (JSON.parse(stdout) as { breakdown: Array<{ details: { current: number } }> }).breakdown.reduce((n, b) => n + b.details.current, 0);
  const count = await cli.run(['prices', 'count', '--json']);
  t.is(count.code, 0, count.stderr);
  t.is(current(count.stdout), 376);

  const search = await cli.run(['products', 'search', 'short cut bacon', '--json']);
  t.is(search.code, 0, search.stderr);
  t.is(JSON.parse(search.stdout).items.length > 1, true);

  // A write through the lending process, seen by the server at once.
  const more = await cli.run(['import', ...G147.map((f) => FIXTURES + f)]);
  t.is(more.code, 0, more.stderr);
  const stores = (await (await fetch(`${url}/api/stores?company=aldi`)).json()) as { items: Array<{ code: string }> };
  t.deepEqual(stores.items.map((s) => s.code).sort(), ['G147', 'G467']);
  const after = await cli.run(['prices', 'count', '--json']);
  t.is(current(after.stdout), 394);

  serve.kill('SIGINT');
  await new Promise((resolve) => (serve.exitCode === null ? serve.once('exit', resolve) : resolve(undefined)));
  const alone = await cli.run(['prices', 'count', '--json']);
  t.is(alone.code, 0, alone.stderr);
  t.is(current(alone.stdout), 394, 'the writes made through serve are in the database');
});
