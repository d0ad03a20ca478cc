// Store grouping at scale: 1,000 stores of one company × 3,000 products from `trolley sample`, with
// 5 true price zones and 3 rogue stores, imported into the local PostgreSQL. From singletons,
// `groups maintain` (lossless) must find exactly the zones. Reported: wall time, comparisons run
// beside the 499,500 naive pairs, price rows before and after retention.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const STORES = Number(process.env.BENCH_STORES ?? 1000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 3000);
const ZONES = 5;
const ROGUE = 3;


/** Partition as a canonical string: groups of store ids sorted, groups sorted. */
const canonical = (groups) => groups.map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((g) => g.join(',')).join(' | ');

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-grouping-'));
  const schema = `bench_grouping_${process.pid}`;
  try {
    const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema };
    const inbox = path.join(dir, 'inbox');
    const sample = await runCli(['sample', '--out', inbox, '--stores', String(STORES), '--products', String(PRODUCTS), '--companies', 'aldi', '--zones', String(ZONES), '--rogue', String(ROGUE), '--days', '1', '--seed', '7', '--json'], sandboxEnv(dir));
    const sampled = JSON.parse(sample.stdout);
    console.log(`sample: ${sampled.files.length} files, ${sampled.records} records in ${sample.seconds.toFixed(1)} s`);
    psql(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    const imported = await runCli(['import', inbox, '--json'], env);
    console.log(`import: ${JSON.parse(imported.stdout).totals.records} rows in ${imported.seconds.toFixed(1)} s`);
    await runCli(['groups', 'init', '--json'], env);

    const maintain = await runCli(['groups', 'maintain', '--json'], env);
    const report = JSON.parse(maintain.stdout);

    const truth = new Map();
    for (const s of sampled.storeList) {
      const key = s.zone === null ? `rogue ${s.storeId}` : `zone ${s.zone}`;
      truth.set(key, [...(truth.get(key) ?? []), s.storeId]);
    }
    const found = new Map();
    for (const line of psql(`select g.id, s.store_id from ${schema}.store_group_members m join ${schema}.store_groups g on g.id = m.group_id join ${schema}.stores s on s.id = m.store_id`).trim().split('\n')) {
      const [group, store] = line.split('|');
      found.set(group, [...(found.get(group) ?? []), store]);
    }
    const exact = canonical([...truth.values()]) === canonical([...found.values()]);
    const naive = (STORES * (STORES - 1)) / 2;
    const comparisons = report.merge.comparisons + report.healthCheck.comparisons;
    const fewer = 1 - report.rows.after / report.rows.before;
    const figures = {
      stores: STORES,
      products: PRODUCTS,
      zones: ZONES,
      rogue: ROGUE,
      wallSeconds: round(maintain.seconds),
      maintainSeconds: report.seconds,
      peakRssMiB: Math.round(maintain.peakRssMiB),
      groupsFound: found.size,
      groupsExpected: truth.size,
      exactZones: exact,
      comparisons,
      naivePairs: naive,
      comparisonPercent: Number(((comparisons / naive) * 100).toFixed(4)),
      merges: report.merge.merges,
      fingerprintMerges: report.merge.fingerprintMerges,
      rounds: report.merge.rounds,
      rowsBefore: report.rows.before,
      rowsAfter: report.rows.after,
      rowsFewerPercent: round(fewer * 100),
      importSeconds: round(imported.seconds),
    };
    console.log(`groups maintain      ${figures.wallSeconds} s wall (${figures.maintainSeconds} s in maintain), peak RSS ${figures.peakRssMiB} MiB`);
    console.log(`groups               ${figures.groupsFound} found, ${figures.groupsExpected} true (${ZONES} zones + ${ROGUE} rogue); exactly the zones: ${exact}`);
    console.log(`comparisons          ${comparisons.toLocaleString()} of ${naive.toLocaleString()} naive pairs (${(comparisons / naive * 100).toFixed(3)}%); ${figures.merges} merges, ${figures.fingerprintMerges} on identical fingerprints`);
    console.log(`price rows           ${figures.rowsBefore.toLocaleString()} → ${figures.rowsAfter.toLocaleString()} (${figures.rowsFewerPercent}% fewer, lossless)`);
    return {
      figures,
      targets: [
        { description: `groups maintain ${figures.wallSeconds} s < 60 s`, met: figures.wallSeconds < 60 },
        { description: `exactly the ${ZONES} zones and ${ROGUE} rogue stores found (${figures.groupsFound} groups)`, met: exact },
        { description: `comparisons ${comparisons} ≤ 5% of ${naive} naive pairs`, met: comparisons <= naive * 0.05 },
        { description: `${figures.rowsFewerPercent}% fewer price rows with lossless ≥ 95%`, met: fewer >= 0.95 },
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;
