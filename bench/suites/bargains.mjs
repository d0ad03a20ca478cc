// Bargains and the export API at scale: 3,000,000 prices (1,000 stores of the four chains × 3,000
// products from `trolley sample`) in the local PostgreSQL. `bargains generate` beside one plain
// `COUNT(*)` over the same prices (the floor), and an export of 1,000,000 prices over HTTP from
// `trolley serve` (the typed client walking `next` links, 5,000 rows a page) beside a `COUNT(*)` of
// those rows; the server's and this process's peak memory show whether the export streams.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { BIN, runCli, sandboxEnv } from '../lib/cli.mjs';

const STORES = Number(process.env.BENCH_STORES ?? 1000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 3000);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const WRAPPER = fileURLToPath(new URL('../lib/rss-wrapper.mjs', import.meta.url));
const KEY = 'bench-key';


function timed(sql) {
  const started = process.hrtime.bigint();
  const out = psql(sql);
  return { out, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Starts `trolley serve` on a free port; resolves with its address and a stop() giving its peak RSS. */
function serve(env) {
  const rssFile = path.join(os.tmpdir(), `trolley-serve-rss-${process.pid}`);
  const child = spawn(process.execPath, [WRAPPER, BIN, 'serve', '--port', '0'], { env: { ...env, TROLLEY_API_KEY: KEY, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const url = /at (http:\/\/\S+) /.exec(out)?.[1];
      if (url)
        resolve({
          url,
          stop: () =>
            new Promise((done) => {
              child.on('close', () => {
                const kib = Number(fs.readFileSync(rssFile, 'utf8'));
                fs.rmSync(rssFile, { force: true });
                done(kib / 1024);
              });
              child.kill('SIGTERM');
            }),
        });
    });
    child.on('close', (code) => reject(new Error(`trolley serve exited ${code} before listening`)));
  });
}

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-bargains-'));
  const schema = `bench_bargains_${process.pid}`;
  const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema };
  try {
    const inbox = path.join(dir, 'inbox');
    await runCli(['sample', '--out', inbox, '--stores', String(STORES), '--products', String(PRODUCTS), '--days', '1', '--seed', '5', '--json'], sandboxEnv(dir));
    const imported = await runCli(['import', inbox, '--json'], env);
    const rows = JSON.parse(imported.stdout).totals.records;
    console.log(`import: ${rows.toLocaleString()} prices in ${imported.seconds.toFixed(1)} s`);
    psql(`analyze ${schema}.prices`);

    const countAll = timed(`select count(*) from ${schema}.prices`);
    const generated = await runCli(['bargains', 'generate', '--json'], env);
    const report = JSON.parse(generated.stdout);
    console.log(`bargains generate   ${report.bargains.toLocaleString()} bargains from ${report.competingPrices.toLocaleString()} prices in ${generated.seconds.toFixed(2)} s (command), COUNT(*) ${countAll.seconds.toFixed(2)} s`);

    const lastId = psql(`select id from ${schema}.prices order by id offset ${EXPORT_ROWS - 1} limit 1`);
    const countExport = timed(`select count(*) from ${schema}.prices where id <= ${lastId}`);
    const server = await serve(env);
    const { ExportClient } = await import(new URL('../../packages/core/dist/src/export/client.js', import.meta.url).href);
    const client = new ExportClient({ baseUrl: server.url, apiKey: KEY });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let exported = 0;
    const started = process.hrtime.bigint();
    for await (const price of client.prices({ limit: 5000 })) {
      exported++;
      if (exported % 50_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (exported >= EXPORT_ROWS || price.id >= Number(lastId)) break;
    }
    const exportSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const serverRssMiB = await server.stop();

    const figures = {
      prices: rows,
      bargains: { seconds: round(generated.seconds), bargains: report.bargains, competingPrices: report.competingPrices, countFloorSeconds: round(countAll.seconds), ratioToCount: round(generated.seconds / countAll.seconds), peakRssMiB: Math.round(generated.peakRssMiB) },
      export: {
        rows: exported,
        seconds: round(exportSeconds),
        rowsPerSecond: Math.round(exported / exportSeconds),
        countFloorSeconds: round(countExport.seconds),
        serverPeakRssMiB: Math.round(serverRssMiB),
        clientRssGrowthMiB: Math.round((peakRss - rssBefore) / 2 ** 20),
      },
    };
    console.log(`export over HTTP    ${exported.toLocaleString()} prices in ${figures.export.seconds} s = ${figures.export.rowsPerSecond.toLocaleString()} rows/s (COUNT(*) of them ${figures.export.countFloorSeconds} s); server peak RSS ${figures.export.serverPeakRssMiB} MiB, client grew ${figures.export.clientRssGrowthMiB} MiB`);
    return {
      figures,
      targets: [
        { description: `bargains generate ${figures.bargains.seconds} s < 15 s`, met: figures.bargains.seconds < 15 },
        { description: `export ${figures.export.rowsPerSecond} rows/s ≥ 20,000`, met: figures.export.rowsPerSecond >= 20_000 },
        { description: `export memory flat: server peak ${figures.export.serverPeakRssMiB} MiB < 512 MiB`, met: figures.export.serverPeakRssMiB < 512 },
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;
