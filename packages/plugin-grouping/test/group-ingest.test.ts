import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { cliSandbox } from '@trolley/core/testing';
import { readsAgainstFiles } from './exactness.js';
import { groupingDatabase, maintain, partition } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Every stored row that holds a price fact, keyed, with its content: a snapshot to count what an import wrote. */
async function snapshot(knex: Knex): Promise<Map<string, string>> {
  const prices = (await knex.raw(`select id, store_id, product_id, price::text, was_price::text, is_on_special, unit_price::text, unit, is_available, scraped_date::text from prices`)).rows as Array<Record<string, unknown>>;
  const marks = (await knex.raw(`select store_id, product_id from price_exclusions`)).rows as Array<Record<string, unknown>>;
  const sharing = (await knex.raw(`select store_id, source_store_id, scraped_date::text from price_sharing`)).rows as Array<Record<string, unknown>>;
  return new Map([
    ...prices.map((r) => [`p${r.id}`, `${r.store_id}|${Object.values(r).slice(2).join('|')}`] as const),
    ...marks.map((r) => [`x${r.store_id}:${r.product_id}`, `${r.store_id}`] as const),
    ...sharing.map((r) => [`s${r.store_id}`, `${r.store_id}|${r.source_store_id}|${r.scraped_date}`] as const),
  ]);
}

/** Rows written between two snapshots, per store (inserted, changed or deleted). */
function writtenPerStore(before: Map<string, string>, after: Map<string, string>): Map<number, number> {
  const per = new Map<number, number>();
  const count = (value: string) => per.set(Number(value.split('|')[0]), (per.get(Number(value.split('|')[0])) ?? 0) + 1);
  for (const [key, value] of after) if (before.get(key) !== value) count(value);
  for (const [key, value] of before) if (!after.has(key)) count(value);
  return per;
}

test(`group-aware import: members whose prices equal the anchor's write no price row; a re-import writes nothing; a diverging member is still ejected and then holds its full rows (${database})`, async (t) => {
  const cli = cliSandbox(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-ingest-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await cli.run(['sample', '--out', dir, '--stores', '10', '--products', '200', '--companies', 'aldi', '--zones', '1', '--rogue', '0', '--narrow', '2', '--days', '3', '--seed', '3', '--json']);
  t.is(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => path.join(dir, f));
  const days = [...new Set(files.map((f) => f.slice(-19, -9)))].sort();
  const ofDay = (day: string) => files.filter((f) => f.includes(day));
  const knex = await groupingDatabase(t);

  await importFiles(knex, ofDay(days[0]!));
  await maintain(knex, { asOf: days[0], now: new Date(`${days[0]}T12:00:00Z`) });
  t.is((await partition(knex)).length, 1, 'one zone, one group');
  const anchor = Number((await knex.raw('select anchor_store_id from store_groups')).rows[0].anchor_store_id);
  const sharers = ((await knex.raw('select store_id from price_sharing')).rows as Array<{ store_id: string | number }>).map((x) => Number(x.store_id));
  t.true(sharers.length >= 7, `${sharers.length} members share the anchor's rows`);

  // Day 2: the anchor's prices move and every member's with it.
  const before = await snapshot(knex);
  const reports = await importFiles(knex, ofDay(days[1]!));
  t.true(reports.every((x) => x.mode === 'full'));
  const written = writtenPerStore(before, await snapshot(knex));
  for (const s of sharers) t.true((written.get(s) ?? 0) <= 1, `store ${s} wrote ${written.get(s)} row(s): only its share date`);
  t.true((written.get(anchor) ?? 0) > 0, 'the anchor records its day');
  t.deepEqual((await readsAgainstFiles(knex, ofDay(days[1]!))).mismatches.slice(0, 5), []);

  // The same files again: stale, nothing written.
  const again = await snapshot(knex);
  t.true((await importFiles(knex, ofDay(days[1]!))).every((x) => x.mode === 'stale'));
  t.is(writtenPerStore(again, await snapshot(knex)).size, 0);
  await maintain(knex, { asOf: days[1], now: new Date(`${days[1]}T12:00:00Z`) });
  t.is((await partition(knex)).length, 1);

  // Day 3: one member's file prices a third of its products 10% dearer.
  const diverging = sharers[0]!;
  const code = String((await knex('stores').where({ id: diverging }).first()).store_id);
  const day3 = ofDay(days[2]!).map((file) => {
    const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
    if (String(JSON.parse(text.slice(0, text.indexOf('\n'))).metadata.store_id) !== code) return file;
    const lines = text.trimEnd().split('\n').map((l, i) => {
      if (i % 3 !== 0) return l;
      const record = JSON.parse(l);
      record.product.price_current = Math.round(Number(record.product.price_current) * 110) / 100;
      return JSON.stringify(record);
    });
    const changed = path.join(dir, `changed-${path.basename(file)}`);
    fs.writeFileSync(changed, gzipSync(lines.join('\n') + '\n'));
    fs.rmSync(file);
    return changed;
  });
  t.is(day3.filter((f) => f.includes('changed-')).length, 1);
  await importFiles(knex, day3);
  const overrides = Number((await knex.raw('select count(*)::int as n from prices where store_id = ?', [diverging])).rows[0].n);
  t.true(overrides > 40 && overrides < 100, `${overrides} own rows: the differences only`);
  t.deepEqual((await readsAgainstFiles(knex, day3)).mismatches.slice(0, 5), [], 'read exactly before the check');
  const report = await maintain(knex, { asOf: days[2], now: new Date(`${days[2]}T12:00:00Z`) });
  t.deepEqual(report.ejections.map((e) => e.storeId), [diverging]);
  t.is((await knex('price_sharing').where({ store_id: diverging })).length, 0);
  const own = Number((await knex.raw('select count(*)::int as n from prices where store_id = ?', [diverging])).rows[0].n);
  const listed = gunzipSync(fs.readFileSync(day3.find((f) => f.includes('changed-'))!)).toString('utf8').trimEnd().split('\n').length;
  t.is(own, listed, 'the ejected store holds a row for every product it listed');
  t.deepEqual((await readsAgainstFiles(knex, day3)).mismatches.slice(0, 5), []);
});

test(`a member imported on its own after its anchor, on its digest: a product it drops, one it changes, one new, and one back at the anchor's price read as its file says (${database})`, async (t) => {
  const cli = cliSandbox(t);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-ingest-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await cli.run(['sample', '--out', dir, '--stores', '6', '--products', '200', '--companies', 'aldi', '--zones', '1', '--rogue', '0', '--days', '2', '--seed', '5', '--json']);
  t.is(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as { files: string[] }).files.map((f) => path.join(dir, f));
  const days = [...new Set(files.map((f) => f.slice(-19, -9)))].sort();
  const ofDay = (day: string) => files.filter((f) => f.includes(day));
  const codeOf = (file: string) => {
    const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
    return String(JSON.parse(text.slice(0, text.indexOf('\n'))).metadata.store_id);
  };
  /** The file with its lines edited (`edit` returns the new line, or null to drop it) and `extra` lines appended. */
  const edited = (file: string, edit: (record: { product: Record<string, unknown> }, i: number) => object | null, extra: object[] = []) => {
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const out = lines.flatMap((l, i) => {
      const record = edit(JSON.parse(l), i);
      return record === null ? [] : [JSON.stringify(record)];
    });
    const changed = path.join(dir, `edited-${path.basename(file)}`);
    fs.writeFileSync(changed, gzipSync([...out, ...extra.map((e) => JSON.stringify(e))].join('\n') + '\n'));
    return changed;
  };
  const dearer = (record: { product: Record<string, unknown> }) => ({ ...record, product: { ...record.product, price_current: Math.round(Number(record.product.price_current) * 130) / 100 } });
  const knex = await groupingDatabase(t);

  // Day 1: one store prices products 5 and 9 its own way (two own rows once it shares).
  const day1 = ofDay(days[0]!);
  const member = codeOf(day1[1]!);
  await importFiles(knex, day1.map((f) => (codeOf(f) === member ? edited(f, (rec, i) => (i === 5 || i === 9 ? dearer(rec) : rec)) : f)));
  await maintain(knex, { asOf: days[0], now: new Date(`${days[0]}T12:00:00Z`) });
  const memberId = Number((await knex.raw(`select id from stores where store_id = ?`, [member])).rows[0].id);
  const anchorId = Number((await knex.raw('select source_store_id from price_sharing where store_id = ?', [memberId])).rows[0]?.source_store_id);
  t.true(anchorId > 0, 'the store shares its anchor');
  t.is(Number((await knex.raw('select count(*)::int as n from prices where store_id = ?', [memberId])).rows[0].n), 2, 'two own rows');
  const anchor = String((await knex.raw('select store_id from stores where id = ?', [anchorId])).rows[0].store_id);

  // Day 2: the anchor first, in its own batch; then the store, on its own: product 5 back at the
  // anchor's price, product 9 gone, product 20 dearer, one product new.
  const day2 = ofDay(days[1]!);
  const anchorFile = day2.find((f) => codeOf(f) === anchor)!;
  t.true((await importFiles(knex, [anchorFile])).every((x) => x.mode === 'full'));
  let extra: object | undefined;
  const memberFile = edited(
    day2.find((f) => codeOf(f) === member)!,
    (rec, i) => {
      if (i === 0) extra = { ...rec, product: { ...rec.product, sku: 'NEW-1', name: 'A brand new product 750g', price_current: 3.5 } };
      return i === 9 ? null : i === 20 ? dearer(rec) : rec;
    },
  );
  const withNew = edited(memberFile, (rec) => rec, [extra!]);
  const [report] = await importFiles(knex, [withNew]);
  t.is(report!.mode, 'full');
  t.true((report!.unchangedInDigest ?? 0) > 150, `${report!.unchangedInDigest} products unchanged from the digest: the store took its digest`);
  t.deepEqual((await readsAgainstFiles(knex, [anchorFile, withNew])).mismatches.slice(0, 5), [], 'the store reads its file exactly');
  const own = (await knex.raw('select p.product_id, k.sku from prices p join product_skus k on k.product_id = p.product_id where p.store_id = ? order by k.sku', [memberId])).rows as Array<{ sku: string }>;
  t.is(own.length, 2, `own rows: product 20 and the new one (${own.map((o) => o.sku).join(', ')})`);
  t.true(own.some((o) => o.sku === 'NEW-1'));
  t.is(Number((await knex.raw('select count(*)::int as n from price_exclusions where store_id = ?', [memberId])).rows[0].n), 1, 'product 9 excluded');

  // The other stores, each on its own, read their files too.
  const rest = day2.filter((f) => codeOf(f) !== anchor && codeOf(f) !== member);
  for (const file of rest) await importFiles(knex, [file]);
  t.deepEqual((await readsAgainstFiles(knex, [anchorFile, withNew, ...rest])).mismatches.slice(0, 5), []);
});
