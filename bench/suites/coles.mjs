// Coles barcode enrichment: 2,000 products against the fixture Coles server (loopback) with
// `--delay 0 --concurrency 8`, pages/s and peak RSS, beside a floor measured in the same run: a
// plain `fetch` loop (8 at a time, in its own process) over the same URLs that reads each body.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const fixture = await import('../../packages/plugin-scraper-coles/dist/test/fixture-server.js');
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const CONCURRENCY = 8;

const FLOOR = `
const urls = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
let next = 0;
const started = performance.now();
async function worker() { while (next < urls.length) { const url = urls[next++]; const res = await fetch(url); await res.text(); } }
Promise.all(Array.from({ length: ${CONCURRENCY} }, worker)).then(() => {
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
});`;

function floor(urlsFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOR, urlsFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`floor exited ${code}`))));
  });
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-coles-'));
  const products = Array.from({ length: PRODUCTS }, (_, i) => fixture.fixtureProduct(String(8_000_000 + i), i % 7 === 1 ? 'json-ld' : 'next-data'));
  const server = await new fixture.ColesFixtureServer(products).start();
  try {
    const source = path.join(dir, 'coles-0584-2025-09-28.jsonl');
    fixture.writeScrapeFile(source, products.map((p) => fixture.scrapeLine(p)));
    const urlsFile = path.join(dir, 'urls.json');
    fs.writeFileSync(urlsFile, JSON.stringify(products.map((p) => fixture.recordUrl(p, server.origin))));

    const base = await floor(urlsFile);
    const floorRate = PRODUCTS / base.seconds;
    const hitsBefore = server.total;
    const cli = await runCli(['scrape', 'barcodes', source, '--outbox', path.join(dir, 'out'), '--delay', '0', '--concurrency', String(CONCURRENCY), '--no-prefill', '--base-url', server.origin], sandboxEnv(dir));
    const hits = server.hits.slice(hitsBefore);
    const crawlSeconds = (Math.max(...hits.map((h) => h.finishedAt ?? h.arrivedAt)) - Math.min(...hits.map((h) => h.arrivedAt))) / 1000;
    const crawlRate = PRODUCTS / crawlSeconds;
    const wallRate = PRODUCTS / cli.seconds;
    const output = fs.readFileSync(path.join(dir, 'out', path.basename(source)), 'utf8').trim().split('\n');
    if (output.length !== PRODUCTS || hits.length !== PRODUCTS) throw new Error(`expected ${PRODUCTS} lines and requests, got ${output.length} and ${hits.length}`);
    const share = crawlRate / floorRate;
    console.log(`${'run'.padEnd(34)} ${'seconds'.padStart(8)} ${'pages/s'.padStart(8)} ${'peak RSS'.padStart(10)}`);
    console.log(`${'fetch loop, 8 at a time (floor)'.padEnd(34)} ${round(base.seconds, 2).toFixed(2).padStart(8)} ${round(floorRate).toFixed(1).padStart(8)} ${`${round(base.peakRssMiB)} MiB`.padStart(10)}`);
    console.log(`${'scrape barcodes, crawl (server)'.padEnd(34)} ${round(crawlSeconds, 2).toFixed(2).padStart(8)} ${round(crawlRate).toFixed(1).padStart(8)} ${`${round(cli.peakRssMiB)} MiB`.padStart(10)}`);
    console.log(`${'scrape barcodes, whole command'.padEnd(34)} ${round(cli.seconds, 2).toFixed(2).padStart(8)} ${round(wallRate).toFixed(1).padStart(8)}`);
    return {
      products: PRODUCTS,
      concurrency: CONCURRENCY,
      figures: {
        floor: { seconds: round(base.seconds, 3), pagesPerSecond: round(floorRate), peakRssMiB: round(base.peakRssMiB) },
        scraper: { crawlSeconds: round(crawlSeconds, 3), pagesPerSecond: round(crawlRate), commandSeconds: round(cli.seconds, 3), commandPagesPerSecond: round(wallRate), peakRssMiB: round(cli.peakRssMiB) },
      },
      targets: [{ description: `crawl ${round(crawlRate)} pages/s ≥ 50% of the fetch floor's ${round(floorRate)} pages/s (${round(share * 100)}%)`, met: share >= 0.5 }],
    };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
