// 1,000,000 price rows (400 stores × 2,500 products from `trolley sample`) imported into the local
// PostgreSQL, beside a plain COPY of the same rows into an unindexed table (the physical floor),
// and 100,000 rows into the embedded database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const STORES = Number(process.env.BENCH_STORES ?? 400);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2500);
const EMBEDDED_STORES = Math.max(1, Math.round(100_000 / PRODUCTS));

async function csvOf(dir, out) {
  const stream = fs.createWriteStream(out);
  let rows = 0;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz'))) {
    const lines = createInterface({ input: fs.createReadStream(path.join(dir, name)).pipe(createGunzip()) });
    for await (const text of lines) {
      const { product: p, metadata: m } = JSON.parse(text);
      const row = [m.company, m.store_id, p.sku, p.price_current, p.price_was ?? '', p.is_on_special, m.scraped_date].join(',');
      if (!stream.write(row + '\n')) await new Promise((r) => stream.once('drain', r));
      rows++;
    }
  }
  await new Promise((r) => stream.end(r));
  return rows;
}


export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-import-'));
  const schema = `bench_import_${process.pid}`;
  try {
    const env = sandboxEnv(dir);
    const inbox = path.join(dir, 'inbox');
    const sample = await runCli(['sample', '--out', inbox, '--stores', String(STORES), '--products', String(PRODUCTS), '--days', '1', '--seed', '7', '--json'], env);
    const sampled = JSON.parse(sample.stdout);
    console.log(`sample: ${sampled.files?.length ?? sampled.files} files, ${sampled.records} records in ${sample.seconds.toFixed(1)} s`);

    // The floor: the same rows as CSV, COPY'd into an unindexed table.
    const csv = path.join(dir, 'rows.csv');
    const csvRows = await csvOf(inbox, csv);
    psql(`drop schema if exists ${schema} cascade; create schema ${schema}; create table ${schema}.floor (company text, store_id text, sku text, price numeric, was_price numeric, special boolean, scraped_date date)`);
    const copyStarted = process.hrtime.bigint();
    psql(`\\copy ${schema}.floor from '${csv}' csv`);
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    // A second reference: the same rows inserted set-based into a table with the four indexes
    // `prices` must have (id, store+product, product, scraped date). No import can write a price
    // row faster than this; the rest of an import's time is history, catalogue and reading.
    psql(
      `create table ${schema}.indexed (id bigserial primary key, store text, sku text, price numeric(10,2), was_price numeric(10,2), special boolean, scraped_date date, unique (store, sku)); ` +
        `create index on ${schema}.indexed (sku); create index on ${schema}.indexed (scraped_date)`,
    );
    const indexedStarted = process.hrtime.bigint();
    psql(`insert into ${schema}.indexed (store, sku, price, was_price, special, scraped_date) select company || store_id, sku, price, was_price, special, scraped_date from ${schema}.floor`);
    const indexedSeconds = Number(process.hrtime.bigint() - indexedStarted) / 1e9;
    psql(`drop table ${schema}.floor; drop table ${schema}.indexed`);

    const server = await runCli(['import', inbox, '--json'], { ...env, DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema });
    const result = JSON.parse(server.stdout);
    const rows = result.totals.records;
    const rate = rows / server.seconds;

    // Embedded: the first EMBEDDED_STORES files.
    const small = path.join(dir, 'small');
    fs.mkdirSync(small);
    for (const name of fs.readdirSync(inbox).sort().slice(0, EMBEDDED_STORES)) fs.copyFileSync(path.join(inbox, name), path.join(small, name));
    const embedded = await runCli(['import', small, '--json'], env);
    const embeddedRows = JSON.parse(embedded.stdout).totals.records;

    const figures = {
      server: { rows, seconds: round(server.seconds), rowsPerSecond: Math.round(rate), peakRssMiB: Math.round(server.peakRssMiB) },
      copyFloor: { rows: csvRows, seconds: round(copySeconds), rowsPerSecond: Math.round(csvRows / copySeconds) },
      indexedInsertFloor: { rows: csvRows, seconds: round(indexedSeconds), rowsPerSecond: Math.round(csvRows / indexedSeconds) },
      ratioToCopy: round(server.seconds / copySeconds),
      ratioToIndexedInsert: round(server.seconds / indexedSeconds),
      embedded: { rows: embeddedRows, seconds: round(embedded.seconds), rowsPerSecond: Math.round(embeddedRows / embedded.seconds), peakRssMiB: Math.round(embedded.peakRssMiB) },
    };
    console.log(`PostgreSQL import   ${rows.toLocaleString()} rows in ${figures.server.seconds} s = ${figures.server.rowsPerSecond.toLocaleString()} rows/s, peak RSS ${figures.server.peakRssMiB} MiB`);
    console.log(`plain COPY (floor)  ${csvRows.toLocaleString()} rows in ${figures.copyFloor.seconds} s = ${figures.copyFloor.rowsPerSecond.toLocaleString()} rows/s`);
    console.log(`indexed insert      ${csvRows.toLocaleString()} rows in ${figures.indexedInsertFloor.seconds} s (the same rows into a table with prices' indexes)`);
    console.log(`import / COPY       ${figures.ratioToCopy}×; import / indexed insert ${figures.ratioToIndexedInsert}×`);
    console.log(`embedded import     ${embeddedRows.toLocaleString()} rows in ${figures.embedded.seconds} s = ${figures.embedded.rowsPerSecond.toLocaleString()} rows/s, peak RSS ${figures.embedded.peakRssMiB} MiB`);
    return {
      figures,
      targets: [
        { description: `PostgreSQL import ${figures.server.rowsPerSecond} rows/s ≥ 50,000`, met: figures.server.rowsPerSecond >= 50_000 },
        { description: `import within 4× of plain COPY (${figures.ratioToCopy}×)`, met: figures.ratioToCopy <= 4 },
        { description: `peak RSS ${figures.server.peakRssMiB} MiB < 1 GB`, met: figures.server.peakRssMiB < 1024 },
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;
