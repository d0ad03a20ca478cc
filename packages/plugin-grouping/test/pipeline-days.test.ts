import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { priceHistory } from '@trolley/core';
import { cliSandbox, installWriteCounter, resetWriteCounter, rowsWritten, sandboxDatabase, type CliSandbox } from '@trolley/core/testing';
import { changedPrices, naiveHistories } from './price-changes.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Runs `work` on the sandbox's database and closes it again (the embedded database has one user at a time). */
async function withDatabase<T>(t: Parameters<typeof sandboxDatabase>[0], cli: CliSandbox, work: (knex: Knex) => Promise<T>): Promise<T> {
  const db = await sandboxDatabase(t, cli);
  try {
    return await work(await db.knex());
  } finally {
    await db.close();
  }
}

test(`one pipeline a day over a sample: from day 2 on each day writes at most 3 price rows per changed price, and the price history of every store and product equals a naive per-store history of the files (${database})`, async (t) => {
  const cli = cliSandbox(t, { database });
  const dir = path.join(path.dirname(cli.home), 'sample');
  const r = await cli.run(['sample', '--out', dir, '--stores', '40', '--products', '300', '--days', '4', '--narrow', '1', '--seed', '5', '--json']);
  t.is(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => path.join(dir, f));
  const days = [...new Set(files.map((f) => f.slice(-19, -9)))].sort();
  t.is(days.length, 4);
  const ofDay = (day: string) => files.filter((f) => f.includes(day));
  t.is((await cli.run(['db', 'migrate'])).code, 0);
  await withDatabase(t, cli, (knex) => installWriteCounter(knex));

  const inbox = path.join(path.dirname(cli.home), 'inbox');
  fs.mkdirSync(inbox);
  const perDay: string[] = [];
  for (const [i, day] of days.entries()) {
    for (const file of ofDay(day)) fs.copyFileSync(file, path.join(inbox, path.basename(file)));
    await withDatabase(t, cli, (knex) => resetWriteCounter(knex));
    const run = await cli.run(['pipeline', '--inbox', inbox, '--json'], { env: { TROLLEY_LOG_LEVEL: 'warn' } });
    t.is(run.code, 0, run.stderr);
    const written = await withDatabase(t, cli, (knex) => rowsWritten(knex));
    if (i === 0) {
      perDay.push(`${day}: ${written.total} rows written (first day)`);
      continue;
    }
    const changed = await changedPrices(ofDay(days[i - 1]!), ofDay(day));
    perDay.push(`${day}: ${written.total} rows written for ${changed} changed prices ${JSON.stringify(written.by)}`);
    t.true(changed > 0, `${day}: ${changed} prices changed`);
    t.true(written.total <= 3 * changed, `${day}: ${written.total} rows written for ${changed} changed prices: ${JSON.stringify(written.by)}`);
  }
  t.log(perDay.join('\n'));

  // Every store × product: the history read equals the naive one.
  const naive = naiveHistories(files);
  const mismatches = await withDatabase(t, cli, async (knex) => {
    const skus = (await knex.raw(`select c.name as company, k.sku, k.product_id from product_skus k join companies c on c.id = k.company_id`)).rows as Array<{ company: string; sku: string; product_id: string | number }>;
    const stores = (await knex.raw(`select s.id, c.name as company, s.store_id from stores s join companies c on c.id = s.company_id`)).rows as Array<{ id: string | number; company: string; store_id: string }>;
    const storeKey = new Map(stores.map((s) => [Number(s.id), `${s.company} ${s.store_id}`]));
    const productOf = new Map(skus.map((s) => [`${s.company}|${s.sku}`, Number(s.product_id)]));
    // product → store → the naive events, as text
    const expected = new Map<number, Map<string, string[]>>();
    for (const [key, events] of naive) {
      const [store, sku] = key.split('|') as [string, string];
      const product = productOf.get(`${store.split(' ')[0]}|${sku}`)!;
      if (!expected.has(product)) expected.set(product, new Map());
      expected.get(product)!.set(store, events.map((e) => `${e.date} ${e.price} ${e.was} ${e.special}`));
    }
    const found: string[] = [];
    let checked = 0;
    for (const [product, byStore] of expected) {
      const read = new Map<string, string[]>();
      for (const c of await priceHistory(knex, product)) {
        const key = storeKey.get(c.storeId)!;
        read.set(key, [...(read.get(key) ?? []), `${c.date} ${c.price} ${c.wasPrice} ${c.isOnSpecial}`]);
      }
      for (const store of new Set([...byStore.keys(), ...read.keys()])) {
        checked++;
        const want = byStore.get(store) ?? [];
        const got = read.get(store) ?? [];
        if (JSON.stringify(got) !== JSON.stringify(want)) found.push(`${store} product ${product}: naive ${want.join(', ')}; read ${got.join(', ')}`);
      }
    }
    t.true(checked >= 40 * 300 * 0.8, `${checked} store × product histories checked`);
    return found;
  });
  t.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} histories differ`);

  // The command says the same as the library, for one store and product.
  const [key, events] = [...naive].find(([, e]) => e.length > 1)!;
  const [store, sku] = key.split('|') as [string, string];
  const [companyName, code] = store.split(' ') as [string, string];
  const shown = await cli.run(['prices', 'history', `${companyName}:${sku}`, '--store', `${companyName}:${code}`, '--json']);
  t.is(shown.code, 0, shown.stderr);
  const changes = (JSON.parse(shown.stdout) as { changes: Array<{ date: string; price: string }> }).changes;
  t.deepEqual(changes.map((c) => `${c.date} ${c.price}`), events.map((e) => `${e.date} ${e.price}`));
});
