// The whole cycle at realistic scale: 2,000 stores × 5,000 products across the four chains
// (10,000,000 observed prices, one day) from `trolley sample`, through `trolley pipeline` on the
// local PostgreSQL: time per step, peak RSS of the trolley process, price rows stored vs observed.
// The baseline in the same run is the observed prices themselves (what storing every scraped row
// would keep). BENCH_STORES / BENCH_PRODUCTS shrink it for a trial; BENCH_SECOND=1 also times a
// second run over the same inbox (which must change nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const STORES = Number(process.env.BENCH_STORES ?? 2000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 5000);
const SECOND = process.env.BENCH_SECOND === '1';
const LIMIT_SECONDS = 15 * 60;
const LIMIT_RSS_MIB = 2048;

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-e2e-'));
  const schema = `bench_e2e_${process.pid}`;
  try {
    const inbox = path.join(dir, 'inbox');
    const sample = await runCli(['sample', '--out', inbox, '--stores', String(STORES), '--products', String(PRODUCTS), '--days', '1', '--seed', '11', '--json'], sandboxEnv(dir));
    const sampled = JSON.parse(sample.stdout);
    console.log(`sample (setup, not timed in the cycle): ${sampled.files.length.toLocaleString()} files, ${sampled.records.toLocaleString()} records, ${sampled.products.toLocaleString()} products in ${sample.seconds.toFixed(1)} s`);

    psql(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema, TROLLEY_LOG_LEVEL: 'warn' };
    await runCli(['db', 'migrate', '--json'], env);
    const cycle = await runCli(['pipeline', '--inbox', inbox, '--json'], env);
    const report = JSON.parse(cycle.stdout);
    if (report.failed) throw new Error(`the ${report.failed.step} step failed: ${report.failed.message}`);

    const steps = Object.fromEntries(report.steps.map((s) => [s.step, { seconds: s.seconds, counts: s.counts, changes: s.changes }]));
    const f = report.figures;
    const figures = {
      stores: STORES,
      productsPerChain: PRODUCTS,
      products: f.products,
      observedPrices: f.observedPrices,
      storedPriceRows: f.storedPriceRows,
      fewerRowsPercent: f.fewerRowsPercent,
      cycleSeconds: round(cycle.seconds),
      peakRssMiB: Math.round(cycle.peakRssMiB),
      steps,
      sampleSeconds: round(sample.seconds),
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
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;
