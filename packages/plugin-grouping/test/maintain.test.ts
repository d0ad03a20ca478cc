import test from 'ava';
import type { Knex } from 'knex';
import { resolvedPrices } from '@trolley/core';
import { ensureMemberships, initGroups } from '../src/membership.js';
import { nextStores } from '../src/scrape-queue.js';
import { keepPolicy } from '../src/retention-policies.js';
import { basePrice, company, groupingDatabase, maintain, partition, priceRows, resolver, setPrices, store } from './helpers.js';

/** Every store in exactly one group of its own company, and every anchor a member of its own group. */
async function consistent(knex: Knex): Promise<string[]> {
  const problems: string[] = [];
  const checks: Array<[string, string]> = [
    ['stores without a group', 'select count(*)::int as n from stores s where not exists (select 1 from store_group_members m where m.store_id = s.id)'],
    ['anchors outside their group', 'select count(*)::int as n from store_groups g where not exists (select 1 from store_group_members m where m.store_id = g.anchor_store_id and m.group_id = g.id)'],
    ['members of another company', 'select count(*)::int as n from store_group_members m join store_groups g on g.id = m.group_id join stores s on s.id = m.store_id where s.company_id <> g.company_id'],
  ];
  for (const [what, sql] of checks) if ((await knex.raw(sql)).rows[0].n !== 0) problems.push(what);
  return problems;
}

async function reads(knex: Knex): Promise<Map<string, string>> {
  const ids = ((await knex('stores').select('id')) as Array<{ id: string | number }>).map((r) => Number(r.id));
  const rows = await resolvedPrices(knex, resolver(knex), ids);
  return new Map(rows.map((r) => [`${r.storeId}:${r.productId}`, [r.price, r.wasPrice, r.isOnSpecial, r.unitPrice, r.unit, r.isAvailable].join('|')]));
}

const withSpecial = (changed: Set<number>) => (p: number) => (changed.has(p) ? basePrice(p) + 0.5 : basePrice(p));

test('identical stores merge on their fingerprint without a comparison; the older group survives a tie', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(await store(knex, aldi, `G${i}`));
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [ids]);
  t.like(report.merge, { merges: 9, fingerprintMerges: 9, comparisons: 0, naivePairs: 45 });
  t.is(Number((await knex('store_groups').first('anchor_store_id')).anchor_store_id), ids[0]!);
  t.is(report.rows.after, 100, 'lossless: members keep no identical row');
  t.deepEqual(await consistent(knex), []);
});

test('a bucket of identical groups merges in one transaction: stopped after its first merge record, every merge of the bucket is committed and each store reads what it had', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await store(knex, aldi, `F${i}`));
  const before = await reads(knex);
  const crash = new Error('stopped after the first merge record');
  const seen: number[] = [];
  await t.throwsAsync(
    maintain(knex, {
      afterMerge: (merge) => {
        seen.push(merge.loserGroup);
        throw crash;
      },
    }),
    { is: crash },
  );
  t.is(seen.length, 1);
  t.deepEqual(await partition(knex), [ids], 'the whole bucket merged in the one transaction');
  t.deepEqual(await consistent(knex), []);
  const after = await reads(knex);
  t.is(after.size, before.size);
  for (const [key, value] of before) t.is(after.get(key), value, key);
  t.is((await priceRows(knex)).size, 100, 'lossless: the four members keep no identical row');
  // The next run has nothing left to merge.
  const again = await maintain(knex);
  t.like(again.merge, { merges: 0, fingerprintMerges: 0 });
});

test('lossless keeps the rows that differ as overrides: every store reads what it had', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B', { priceOf: withSpecial(new Set([7])) }); // 99% equal: a match
  const c = await store(knex, aldi, 'C', { products: 110 }); // sells 10 products more
  const before = await priceRows(knex);
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [[a, b, c]]);
  t.is(report.merge.comparisons > 0, true);
  const rows = await priceRows(knex);
  t.deepEqual([...rows.keys()].filter((k) => !k.startsWith(`${a}:`)).sort(), [`${b}:7`, ...Array.from({ length: 10 }, (_, i) => `${c}:${101 + i}`)].sort());
  const read = await reads(knex);
  for (const [key, value] of before) t.is(read.get(key), value, key);
});

test('a member whose new scrape diverges is ejected on the next run', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B');
  await maintain(knex);
  t.deepEqual(await partition(knex), [[a, b]]);
  const again = await maintain(knex);
  t.like(again.healthCheck, { judged: 0 }, 'nothing new to judge');
  // B's next scrape prices 20 products differently (80% equal).
  await setPrices(knex, b, '2026-02-01', { priceOf: withSpecial(new Set(Array.from({ length: 20 }, (_, i) => i + 1))) });
  const report = await maintain(knex);
  t.like(report.healthCheck, { judged: 1, ejected: 1, healthy: 0 });
  t.deepEqual(await partition(knex), [[a], [b]]);
  t.like(report.ejections[0], { storeId: b, anchor: a, overlap: 100, equal: 80 });
  t.is(report.merge.comparisons, 1, 'the two anchors are compared once more and remembered as a non-match');
  t.deepEqual(await consistent(knex), []);
});

test('a healthy member with a new scrape is kept and thinned again', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B');
  await maintain(knex);
  await setPrices(knex, b, '2026-02-01');
  const report = await maintain(knex);
  t.like(report.healthCheck, { judged: 1, healthy: 1, ejected: 0 });
  t.is(report.rows.deleted, 100);
  t.deepEqual(await partition(knex), [[a, b]]);
});

test('a divergence against a stale anchor flags the anchor for re-scrape instead; its next scrape settles the flag', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A', { scraped: '2026-01-20' });
  const b = await store(knex, aldi, 'B', { scraped: '2026-01-20' });
  const c = await store(knex, aldi, 'C', { scraped: '2026-01-20', priceOf: (p) => basePrice(p) + 1 });
  await maintain(knex);
  t.deepEqual(await partition(knex), [[a, b], [c]]);
  await setPrices(knex, b, '2026-02-01', { priceOf: withSpecial(new Set(Array.from({ length: 20 }, (_, i) => i + 1))) });
  const report = await maintain(knex);
  t.like(report.healthCheck, { judged: 1, ejected: 0, anchorsFlagged: 1 });
  t.deepEqual(report.flags.map((f) => [f.anchor, f.member]), [[a, b]]);
  t.deepEqual(await partition(knex), [[a, b], [c]], 'the member stays');
  const queue = await nextStores(knex, { limit: 3, now: new Date('2026-02-01T10:00:00Z') });
  t.deepEqual(queue.stores.map((s) => [s.id, s.reason]), [[a, 'flagged'], [c, 'oldest'], [b, 'oldest']]);
  await setPrices(knex, a, '2026-02-01');
  t.is((await ensureMemberships(knex)).flagsSettled, 1);
  const settled = await maintain(knex);
  t.like(settled.healthCheck, { judged: 1, ejected: 1 }, 'judged again against the fresh anchor');
});

test('groups of different companies never merge, even with identical prices', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const iga = await company(knex, 'iga');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, iga, 'B');
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [[a], [b]]);
  t.is(report.merge.merges, 0);
  t.is(report.merge.naivePairs, 0);
});

test('a non-match is remembered for 7 days unless either anchor is scraped again', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B', { priceOf: withSpecial(new Set(Array.from({ length: 10 }, (_, i) => i * 10 + 1))) }); // 90% equal
  t.like((await maintain(knex)).merge, { comparisons: 1, nonMatchesRemembered: 1, merges: 0 });
  t.like((await maintain(knex)).merge, { comparisons: 0 }, 'remembered');
  t.like((await maintain(knex, { now: new Date('2026-02-09T00:00:00Z') })).merge, { comparisons: 1 }, 'forgotten after 7 days');
  await setPrices(knex, b, '2026-02-01', { priceOf: withSpecial(new Set(Array.from({ length: 10 }, (_, i) => i * 10 + 1))) });
  t.like((await maintain(knex, { now: new Date('2026-02-09T00:00:00Z') })).merge, { comparisons: 1 }, 'an anchor scraped again is compared again');
});

test('the smaller group moves into the larger even when the larger is newer', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A', { priceOf: withSpecial(new Set([3])) });
  const b = await store(knex, aldi, 'B');
  const c = await store(knex, aldi, 'C');
  await ensureMemberships(knex);
  // B and C form a group (B anchors it), newer than A's.
  const groupOf = async (s: number) => Number((await knex('store_group_members').where({ store_id: s }).first('group_id')).group_id);
  const gc = await groupOf(c);
  await knex('store_group_members').where({ store_id: c }).update({ group_id: await groupOf(b), checked_scrape: '2026-01-31' });
  await knex('store_groups').where({ id: gc }).delete();
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [[a, b, c]]);
  t.like(report.merges[0], { survivorAnchor: b, moved: [a] });
});

test('a run stopped after its first merge leaves a consistent state that the next run completes', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push(await store(knex, aldi, `S${i}`, { products: 100 + i })); // different assortments: compared, not fingerprinted
  const before = await reads(knex);
  const crash = new Error('killed after the first merge');
  await t.throwsAsync(
    maintain(knex, {
      afterMerge: () => {
        throw crash;
      },
    }),
    { is: crash },
  );
  t.deepEqual(await consistent(knex), []);
  t.is((await partition(knex)).length, 5, 'the first merge committed');
  const after1 = await reads(knex);
  for (const [key, value] of before) t.is(after1.get(key), value, key);
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [ids]);
  t.is(report.merge.merges, 4);
  t.deepEqual(await consistent(knex), []);
  const after2 = await reads(knex);
  for (const [key, value] of before) t.is(after2.get(key), value, key);
});

test('a dry run reports what a real run does and changes nothing', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  for (let i = 0; i < 4; i++) await store(knex, aldi, `S${i}`, { products: 100 + i });
  await ensureMemberships(knex);
  const snapshot = async () => JSON.stringify([await partition(knex), [...(await priceRows(knex))].sort(), (await knex.raw('select count(*)::int as n from store_group_non_matches')).rows]);
  const before = await snapshot();
  const dry = await maintain(knex, { dryRun: true });
  t.is(await snapshot(), before);
  t.true(dry.dryRun);
  const real = await maintain(knex);
  t.deepEqual({ ...dry.merge, rows: dry.rows }, { ...real.merge, rows: real.rows });
  t.is(dry.rows.deleted, 300, 'S0 anchors (tie: the older group); S1–S3 keep only the products S0 does not sell');
});

test('keep deletes nothing; a store never scraped reads from its company’s largest group’s anchor; new stores join a group of one', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B');
  const c = await store(knex, aldi, 'C', { priceOf: (p) => basePrice(p) + 1 });
  const report = await maintain(knex, { policy: keepPolicy });
  t.is(report.rows.after, report.rows.before);
  const fresh = await store(knex, aldi, 'NEW', { scraped: null });
  const mapping = await resolver(knex).pricingStoreOf([a, b, c, fresh]);
  t.deepEqual([...mapping], [[a, a], [b, a], [c, c], [fresh, a]]);
  t.is((await ensureMemberships(knex)).joined, 1);
  t.deepEqual(await partition(knex), [[a, b], [c], [fresh]]);
});

test('groups init --reset writes back what members read through their anchor, then starts from one group per store', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const a = await store(knex, aldi, 'A');
  const b = await store(knex, aldi, 'B', { priceOf: withSpecial(new Set([5])) });
  await maintain(knex);
  t.deepEqual(await partition(knex), [[a, b]]);
  const before = await reads(knex);
  const report = await initGroups(knex, { reset: true });
  t.like(report, { reset: true, groupsBefore: 1, groupsAfter: 2, rowsRestored: 99 });
  t.deepEqual(await partition(knex), [[a], [b]]);
  t.deepEqual(await reads(knex), before);
  t.like(await initGroups(knex, { reset: false }), { joined: 0, groupsAfter: 2 }, 'idempotent');
});

test('a store whose prices all equal an anchor’s on a small share of its range (10%) is proposed and merged', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const zone = (shift: number) => (p: number) => basePrice(p) + (p % 7 === shift ? 1 : 0);
  // Five full-range stores in five price zones (each differs from the others on about a quarter of the products) ...
  const anchors = [];
  for (let z = 0; z < 5; z++) anchors.push(await store(knex, aldi, `Z${z}`, { products: 1_000, priceOf: zone(z) }));
  // ... and a regional store selling 100 of zone 2's products at zone 2's prices: too few to share a band of three bins with it.
  const regional = await store(knex, aldi, 'R', { products: 100, first: 301, priceOf: zone(2) });
  const report = await maintain(knex);
  t.deepEqual(await partition(knex), [[anchors[0]!], [anchors[1]!], [anchors[2]!, regional], [anchors[3]!], [anchors[4]!]]);
  t.true(report.merge.comparisons < report.merge.naivePairs, `${report.merge.comparisons} comparisons of ${report.merge.naivePairs} pairs`);
});
