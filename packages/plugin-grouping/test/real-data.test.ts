import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { importFiles, resolvedPrices } from '@trolley/core';
import { comparePairs } from '../src/comparer.js';
import { aggressivePolicy } from '../src/retention-policies.js';
import { groupingDatabase, maintain, partition, priceRows, REAL, resolver } from './helpers.js';
import { readFirstRecords } from './scrape-records.js';

const ALDI = ['albion-park-g501', 'blair-athol-g457', 'cowra-g439', 'edgecliff-g467'].map((s) => `${REAL}aldi/aldi-${s}-2025-09-19.jsonl.gz`);
const IGA = [`${REAL}iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`, `${REAL}iga/iga-local-grocer-wattle-park-2025-09-18.jsonl.gz`];

async function imported(t: ExecutionContext): Promise<Knex> {
  const knex = await groupingDatabase(t);
  const reports = await importFiles(knex, [...ALDI, ...IGA]);
  t.deepEqual(reports.map((r) => r.mode), ['full', 'full', 'full', 'full', 'full', 'full']);
  return knex;
}

async function storeIds(knex: Knex, company: string): Promise<number[]> {
  return (await knex('stores').join('companies', 'companies.id', 'stores.company_id').where('companies.name', company).orderBy('stores.id').select('stores.id')).map((r: { id: string | number }) => Number(r.id));
}

/** What each store's own file said, per product id: price, was-price and special flag. */
async function filePrices(knex: Knex): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  for (const file of [...ALDI, ...IGA]) {
    const { company, storeId, records } = await readFirstRecords(file);
    const rows = (await knex.raw(
      `select s.id as store, k.sku, k.product_id from stores s join companies c on c.id = s.company_id
       join product_skus k on k.company_id = c.id where c.name = ? and s.store_id = ?`,
      [company, storeId],
    )).rows as Array<{ store: string | number; sku: string; product_id: string | number }>;
    const productOf = new Map(rows.map((r) => [r.sku, Number(r.product_id)]));
    const store = Number(rows[0]!.store);
    for (const [sku, r] of records) expected.set(`${store}:${productOf.get(sku)}`, `${r.price.toFixed(2)}|${r.special}`);
  }
  return expected;
}

/** How many SKUs the files of two stores (by database id) have in common: the products both price. */
async function commonSkus(knex: Knex, a: number, b: number): Promise<number> {
  const files = await Promise.all([...ALDI, ...IGA].map(readFirstRecords));
  const fileOf = async (id: number) => {
    const { store_id: code } = await knex('stores').where({ id }).first('store_id');
    return files.find((f) => f.storeId === String(code))!.records;
  };
  const [x, y] = [await fileOf(a), await fileOf(b)];
  return [...x.keys()].filter((sku) => y.has(sku)).length;
}

test('the four real Aldi stores of 2025-09-19 end in one group, the two IGA stores stay apart; lossless reads equal every file', async (t) => {
  const knex = await imported(t);
  const aldi = await storeIds(knex, 'aldi');
  const iga = await storeIds(knex, 'iga');
  const before = await priceRows(knex);
  const expected = await filePrices(knex);

  const report = await maintain(knex);
  t.deepEqual(report.windows.map((w) => [w.company, w.reference, w.cutoff]), [['aldi', '2025-09-19', '2025-09-16'], ['iga', '2025-09-19', '2025-09-16']], 'freshness counts back from each company’s newest scrape');
  t.deepEqual(await partition(knex), [aldi, [iga[0]!], [iga[1]!]].sort((a, b) => a[0]! - b[0]!));
  t.is(report.merge.merges, 3);
  t.true(report.merge.comparisons <= report.merge.naivePairs, `${report.merge.comparisons} comparisons of ${report.merge.naivePairs} pairs`);
  t.true(report.rows.after < report.rows.before * 0.6, `${report.rows.before} → ${report.rows.after} rows`);

  // Every store × product it had before reads the same row now (all six fields), and what its file said.
  const resolved = await resolvedPrices(knex, resolver(knex), [...aldi, ...iga]);
  const read = new Map(resolved.map((r) => [`${r.storeId}:${r.productId}`, r]));
  let compared = 0;
  for (const [key, row] of before) {
    const r = read.get(key);
    t.is(r && [r.price, r.wasPrice, r.isOnSpecial, r.unitPrice, r.unit, r.isAvailable].join('|'), row, key);
    compared++;
  }
  for (const [key, value] of expected) {
    const r = read.get(key);
    if (!r || `${r.price}|${r.isOnSpecial}` !== value) t.fail(`${key}: file says ${value}, read ${r?.price}|${r?.isOnSpecial}`);
  }
  t.is(compared, before.size);
  t.is(expected.size, before.size, `${expected.size} store × product pairs from the files, each a stored row before`);
});

test('the comparer: the real Aldi stores match each other, the real IGA stores do not (about a third equal)', async (t) => {
  const knex = await imported(t);
  const [a1, a2, a3, a4] = await storeIds(knex, 'aldi');
  const [i1, i2] = await storeIds(knex, 'iga');
  const result = await comparePairs(knex, [{ a: a1!, b: a2!, cutoff: '2025-09-16' }, { a: a3!, b: a4!, cutoff: '2025-09-16' }, { a: i1!, b: i2!, cutoff: '2025-09-16' }], 50);
  t.deepEqual(result.map((c) => c.match), [true, true, false]);
  t.is(result[0]!.overlap, await commonSkus(knex, a1!, a2!), 'every product both files price');
  t.true(result[0]!.overlap >= 100 && result[0]!.equal === result[0]!.overlap, JSON.stringify(result[0]));
  const iga = result[2]!;
  t.is(iga.overlap, await commonSkus(knex, i1!, i2!));
  t.true(iga.overlap >= 50 && iga.equal / iga.overlap < 0.6, JSON.stringify(iga));
  // With a reference date a week later, none of these 2025 scrapes is current: nothing to compare.
  const stale = await comparePairs(knex, [{ a: a1!, b: a2!, cutoff: '2025-09-23' }], 50);
  t.like(stale[0], { overlap: 0, match: false });
  // The same pair asked with both cutoffs in one call: each keeps its own counts.
  const both = await comparePairs(knex, [{ a: a1!, b: a2!, cutoff: '2025-09-23' }, { a: a1!, b: a2!, cutoff: '2025-09-16' }], 50);
  t.deepEqual(both, [stale[0], result[0]]);
});

test('aggressive: members keep no row and read the anchor, which equals their file for every product the anchor prices', async (t) => {
  const knex = await imported(t);
  const aldi = await storeIds(knex, 'aldi');
  const expected = await filePrices(knex);
  const report = await maintain(knex, { policy: aggressivePolicy });
  t.is(report.retention, 'aggressive');
  const groups = await partition(knex);
  t.true(groups.some((g) => g.length === 4));
  const anchor = Number((await knex.raw('select anchor_store_id from store_groups g join store_group_members m on m.group_id = g.id group by g.id having count(*) = 4')).rows[0].anchor_store_id);
  const members = aldi.filter((s) => s !== anchor);
  t.is(Number((await knex.raw(`select count(*)::int as n from prices where store_id = any(?::bigint[])`, [`{${members.join(',')}}`])).rows[0].n), 0);
  const anchorProducts = new Set(((await knex('prices').where({ store_id: anchor }).select('product_id')) as Array<{ product_id: string | number }>).map((r) => Number(r.product_id)));
  const resolved = await resolvedPrices(knex, resolver(knex), aldi);
  const read = new Map(resolved.map((r) => [`${r.storeId}:${r.productId}`, `${r.price}|${r.isOnSpecial}`]));
  let checked = 0;
  for (const [key, value] of expected) {
    const [store, product] = key.split(':').map(Number);
    if (!aldi.includes(store!) || !anchorProducts.has(product!)) continue;
    t.is(read.get(key), value, key);
    checked++;
  }
  // Every Aldi record whose SKU the anchor's own file prices was checked.
  const anchorCode = String((await knex('stores').where({ id: anchor }).first('store_id')).store_id);
  const files = await Promise.all(ALDI.map(readFirstRecords));
  const anchorSkus = files.find((f) => f.storeId === anchorCode)!.records;
  const want = files.reduce((n, f) => n + [...f.records.keys()].filter((sku) => anchorSkus.has(sku)).length, 0);
  t.true(want >= 4 * 100, `${want} pairs`);
  t.is(checked, want, `${checked} store × product pairs checked`);
  t.true(resolved.every((r) => r.sourceStoreId === anchor));
});
