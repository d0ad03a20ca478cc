// The whole cycle at realistic scale: 2,000 stores × 5,000 products across the four chains
// (10,000,000 observed prices a day) from `trolley sample`, through `trolley pipeline` on the
// local PostgreSQL: time per step, peak RSS of the trolley process, price rows stored vs observed.
// The baseline in the same run is the observed prices themselves (what storing every scraped row
// would keep). BENCH_STORES / BENCH_PRODUCTS shrink it for a trial; BENCH_SECOND=1 also times a
// second run over the same inbox (which must change nothing). BENCH_DAYS=N (default 1) samples N
// days and runs one pipeline per day, the inbox gaining a day each time: per day the time of each
// step, the rows written to the price tables (prices, history, exclusion marks; from the server's
// table statistics) against the prices that changed that day (counted from the files), and the
// rows stored against the prices observed so far. BENCH_DAILY_CHANGE (default 0.005, the issue's
// "about 0.5% of prices changing per day") is the sample's `--daily-change`; 0.06 is `trolley
// sample`'s own default. TROLLEY_IMPORT_DIGEST=1 imports with store digests (docs/import.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const STORES = Number(process.env.BENCH_STORES ?? 2000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 5000);
const DAYS = Math.max(1, Number(process.env.BENCH_DAYS ?? 1));
const SECOND = process.env.BENCH_SECOND === '1';
const DAILY_CHANGE = Number(process.env.BENCH_DAILY_CHANGE ?? 0.005);
const LIMIT_SECONDS = 15 * 60;
const LIMIT_RSS_MIB = 2048;
const STEADY_SECONDS = 90;
const PRICE_TABLES = ['prices', 'price_history', 'price_history_skips', 'price_exclusions'];

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-e2e-'));
  const schema = `bench_e2e_${process.pid}`;
  try {
    const all = path.join(dir, 'sample');
    const inbox = path.join(dir, 'inbox');
    fs.mkdirSync(inbox);
    const sample = await runCli(['sample', '--out', all, '--stores', String(STORES), '--products', String(PRODUCTS), '--days', String(DAYS), '--daily-change', String(DAILY_CHANGE), '--seed', '11', '--json'], sandboxEnv(dir));
    const sampled = JSON.parse(sample.stdout);
    console.log(`sample (setup, not timed in the cycle): ${sampled.files.length.toLocaleString()} files, ${sampled.records.toLocaleString()} records, ${sampled.products.toLocaleString()} products, --daily-change ${DAILY_CHANGE}, in ${sample.seconds.toFixed(1)} s`);
    const dates = [...new Set(sampled.files.map((f) => f.slice(-19, -9)))].sort();

    psql(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema, TROLLEY_LOG_LEVEL: 'warn', ...(process.env.TROLLEY_IMPORT_DIGEST ? { TROLLEY_IMPORT_DIGEST: process.env.TROLLEY_IMPORT_DIGEST } : {}) };
    await runCli(['db', 'migrate', '--json'], env);
    const days = [];
    let cycle;
    let report;
    for (const [i, date] of dates.entries()) {
      const files = sampled.files.filter((f) => f.includes(date));
      for (const f of files) fs.linkSync(path.join(all, f), path.join(inbox, f));
      const before = writesSoFar(schema);
      cycle = await runCli(['pipeline', '--inbox', inbox, '--json'], env);
      report = JSON.parse(cycle.stdout);
      if (report.failed) throw new Error(`the ${report.failed.step} step failed on ${date}: ${report.failed.message}`);
      if (DAYS === 1) break;
      const written = writesSoFar(schema) - before;
      const changed = i === 0 ? null : changedPrices(all, sampled.files.filter((f) => f.includes(dates[i - 1])), files);
      const step = (name) => round(report.steps.find((s) => s.step === name)?.seconds ?? NaN);
      const day = { date, seconds: round(cycle.seconds), steps: Object.fromEntries(report.steps.map((s) => [s.step, round(s.seconds)])), rowsWritten: written, changedPrices: changed, storedPriceRows: report.figures.storedPriceRows, observedPrices: report.figures.observedPrices, importAndGroupsSeconds: round(step('import') + step('groups')) };
      days.push(day);
      console.log(
        `day ${i + 1} ${date}: ${Object.entries(day.steps).map(([k, v]) => `${k} ${v} s`).join(', ')}; rows written ${written.toLocaleString()}${changed === null ? '' : ` for ${changed.toLocaleString()} changed prices (${((100 * changed * DAYS) / sampled.records).toFixed(2)}% of lines; ${(written / Math.max(1, changed)).toFixed(2)} per change)`}; stored ${day.storedPriceRows.toLocaleString()} for ${day.observedPrices.toLocaleString()} observed (${((100 * day.storedPriceRows) / day.observedPrices).toFixed(2)}%)`,
      );
    }

    const steps = Object.fromEntries(report.steps.map((s) => [s.step, { seconds: s.seconds, counts: s.counts, changes: s.changes }]));
    const f = report.figures;
    const figures = {
      stores: STORES,
      productsPerChain: PRODUCTS,
      dailyChange: DAILY_CHANGE,
      products: f.products,
      observedPrices: f.observedPrices,
      storedPriceRows: f.storedPriceRows,
      fewerRowsPercent: f.fewerRowsPercent,
      cycleSeconds: round(cycle.seconds),
      peakRssMiB: Math.round(cycle.peakRssMiB),
      steps,
      sampleSeconds: round(sample.seconds),
      ...(DAYS > 1 ? { days } : {}),
    };
    console.log(`${'step'.padEnd(16)} ${'seconds'.padStart(8)}  counts`);
    for (const s of report.steps) console.log(`${s.step.padEnd(16)} ${s.seconds.toFixed(1).padStart(8)}  ${Object.entries(s.counts).filter(([k]) => !['unchanged', 'rejects', 'stale', 'failed'].includes(k)).map(([k, v]) => `${k} ${v.toLocaleString()}`).join(', ')}`);
    console.log(`whole cycle      ${figures.cycleSeconds.toFixed(1).padStart(8)}  (process wall time, start-up included); peak RSS ${figures.peakRssMiB} MiB`);
    console.log(`price rows       ${f.storedPriceRows.toLocaleString()} stored for ${f.observedPrices.toLocaleString()} observed (baseline: every observed price stored): ${f.fewerRowsPercent}% fewer`);

    if (SECOND) {
      const again = await runCli(['pipeline', '--inbox', inbox, '--json'], env);
      const second = JSON.parse(again.stdout);
      const steps = Object.fromEntries(second.steps.map((s) => [s.step, round(s.seconds)]));
      figures.second = { seconds: round(again.seconds), changed: second.changed, peakRssMiB: Math.round(again.peakRssMiB), steps };
      console.log(`second run       ${again.seconds.toFixed(1).padStart(8)}  changed: ${second.changed}; ${Object.entries(steps).map(([step, s]) => `${step} ${s} s`).join(', ')}`);
    }
    const fewer = f.fewerRowsPercent ?? 0;
    return {
      figures,
      targets: [
        { description: `whole cycle ${figures.cycleSeconds} s < ${LIMIT_SECONDS} s (15 minutes)`, met: figures.cycleSeconds < LIMIT_SECONDS },
        { description: `peak RSS ${figures.peakRssMiB} MiB < ${LIMIT_RSS_MIB} MiB`, met: figures.peakRssMiB < LIMIT_RSS_MIB },
        { description: `${fewer}% fewer price rows than observed ≥ 95%`, met: fewer >= 95 },
        ...(figures.second ? [{ description: 'a second run over the same inbox changes nothing', met: figures.second.changed === false }] : []),
        ...days.slice(1).flatMap((d) => [
          { description: `${d.date}: import + groups ${d.importAndGroupsSeconds} s < ${STEADY_SECONDS} s`, met: d.importAndGroupsSeconds < STEADY_SECONDS },
          { description: `${d.date}: ${d.rowsWritten} rows written ≤ 3 × ${d.changedPrices} changed prices`, met: d.rowsWritten <= 3 * d.changedPrices },
        ]),
        ...(DAYS > 1 ? [{ description: `after ${DAYS} days: ${f.storedPriceRows} rows stored ≤ 3% of ${f.observedPrices} observed`, met: f.storedPriceRows <= 0.03 * f.observedPrices }] : []),
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;

/** Rows inserted, updated and deleted in the price tables so far (the server's statistics, flushed when a session ends). */
function writesSoFar(schema) {
  const read = () => Number(psql(`select pg_stat_clear_snapshot(); select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables where schemaname = '${schema}' and relname in (${PRICE_TABLES.map((t) => `'${t}'`).join(', ')})`).split('\n').pop());
  // A session that just ended may still be flushing its counts: read until two reads agree.
  let last = read();
  for (;;) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    const now = read();
    if (now === last) return now;
    last = now;
  }
}

/** Prices (store × SKU) that differ between two days' files of the same stores: changed, new or gone. Lines compare as text without their dates. */
function changedPrices(dir, before, after) {
  const byStore = (files) => new Map(files.map((f) => [f.slice(0, -20), f]));
  const old = byStore(before);
  let changed = 0;
  for (const [store, file] of byStore(after)) {
    const was = skuLines(old.has(store) ? path.join(dir, old.get(store)) : null);
    const now = skuLines(path.join(dir, file));
    for (const [sku, line] of now) if (was.get(sku) !== line) changed++;
    for (const sku of was.keys()) if (!now.has(sku)) changed++;
  }
  return changed;
}

function skuLines(file) {
  const lines = new Map();
  if (file === null) return lines;
  for (const line of gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')) {
    if (!line) continue;
    const sku = /"sku": ("[^"]*"|[^,]*)/.exec(line)?.[1];
    if (sku !== undefined && !lines.has(sku)) lines.set(sku, line.replace(/"scraped_date": "[^"]*"/g, '').replace(/"price_hash": "[^"]*"/, ''));
  }
  return lines;
}
