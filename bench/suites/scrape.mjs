// Listing scrapers: one store of 5,000 products per chain (Aldi, Woolworths, IGA, Coles) from its loopback
// fixture site, `trolley scrape products --delay 0`, pages/s and peak RSS, beside a floor measured
// in the same run: a plain `fetch` loop (one request at a time, as the scraper does, in its own
// process) over the same requests (method, address, body) that reads each body. BENCH_PRODUCTS
// (default 5000), BENCH_ROUNDS (3), BENCH_CHAINS (all four).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sandboxEnv } from '../lib/cli.mjs';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 5000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const aldi = await import('../../packages/plugin-scraper-aldi/dist/test/aldi-fixture.js');
const woolworths = await import('../../packages/plugin-scraper-woolworths/dist/test/woolworths-fixture.js');
const iga = await import('../../packages/plugin-scraper-iga/dist/test/iga-fixture.js');
const coles = await import('../../packages/plugin-scraper-coles/dist/test/listing-fixture.js');
const { PROMOTIONAL_GROUPS } = await import('../../packages/plugin-scraper-coles/dist/src/coles-listing-site.js');
// Coles' real menu: its departments, the products spread over them (the fixture wants the session cookie: passed as a Cookie line).
const COLES_DEPARTMENTS = coles.MENU.data.menuItems.items.map((item) => item.seoToken).filter((token) => !PROMOTIONAL_GROUPS.includes(token));

// BENCH_CHAINS=iga,aldi measures just those chains.
const ONLY = process.env.BENCH_CHAINS ? process.env.BENCH_CHAINS.split(',').map((c) => c.trim().toLowerCase()) : undefined;
const split = (n, parts) => Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
const CHAINS = [
  { company: 'aldi', store: 'G147', site: () => aldi.aldiSite(aldi.aldiCatalogue(split(PRODUCTS, 12))) },
  { company: 'woolworths', store: '1044', site: () => woolworths.woolworthsSite(woolworths.departments(split(PRODUCTS, 12))) },
  { company: 'coles', store: '0584', cookies: `Cookie: ${coles.SESSION_COOKIE.name}=${coles.SESSION_COOKIE.value}\n`, site: () => coles.colesSite(coles.colesDepartments(Object.fromEntries(COLES_DEPARTMENTS.map((token, i, all) => [token, split(PRODUCTS, all.length)[i]])))) },
  { company: 'iga', store: '32600', site: () => iga.igaSite(iga.igaCatalogue(Object.fromEntries(['Apples_Pears_and_Bananas', 'Coconut_Milk', 'Yeast_and_Baking_Ingredients', 'Coconut_Water', 'Nuts_Seeds_and_Coconuts', 'Cling_wrap_Foil_and_Baking_Paper'].map((leaf, i, all) => [leaf, split(PRODUCTS, all.length)[i]])))) },
];

const FLOOR = `
const requests = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
(async () => {
  const started = performance.now();
  for (const r of requests) { const res = await fetch(r.url, { method: r.method, body: r.method === 'POST' ? r.body : undefined, headers: { ...(r.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...(r.cookie ? { cookie: r.cookie } : {}) } }); await res.text(); }
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
})();`;

function floor(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', FLOOR, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`floor exited ${code}`))));
  });
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function run() {
  const figures = {};
  const targets = [];
  console.log(`${'chain'.padEnd(11)} ${'requests'.padStart(8)} ${'floor p/s'.padStart(10)} ${'scraper p/s'.padStart(12)} ${'share'.padStart(6)} ${'command s'.padStart(10)} ${'peak RSS'.padStart(10)}`);
  for (const chain of CHAINS.filter((c) => !ONLY || ONLY.includes(c.company))) {
    // Scraper and floor take turns, ROUNDS times, and each keeps its best round: on a machine shared
    // with other work a load spike during one run would otherwise decide the share.
    let best;
    // Each round's own share too (scraper and floor seconds apart): the steadier figure when the
    // machine's load drifts between rounds.
    const shares = [];
    for (let roundNo = 0; roundNo < ROUNDS; roundNo++) {
      const one = await measure(chain);
      shares.push(round((one.scraper.pagesPerSecond / one.floor.pagesPerSecond) * 100));
      best = best === undefined ? one : {
        requests: one.requests,
        floor: one.floor.pagesPerSecond > best.floor.pagesPerSecond ? one.floor : best.floor,
        scraper: one.scraper.pagesPerSecond > best.scraper.pagesPerSecond ? { ...one.scraper, peakRssMiB: Math.max(one.scraper.peakRssMiB, best.scraper.peakRssMiB) } : { ...best.scraper, peakRssMiB: Math.max(one.scraper.peakRssMiB, best.scraper.peakRssMiB) },
      };
    }
    const share = best.scraper.pagesPerSecond / best.floor.pagesPerSecond;
    console.log(`${chain.company.padEnd(11)} ${String(best.requests).padStart(8)} ${best.floor.pagesPerSecond.toFixed(1).padStart(10)} ${best.scraper.pagesPerSecond.toFixed(1).padStart(12)} ${`${round(share * 100)}%`.padStart(6)} ${best.scraper.commandSeconds.toFixed(2).padStart(10)} ${`${best.scraper.peakRssMiB} MiB`.padStart(10)}`);
    const median = [...shares].sort((a, b) => a - b)[Math.floor(shares.length / 2)];
    console.log(`${''.padEnd(11)} each round's share: ${shares.map((x) => `${x}%`).join(', ')} (median ${median}%)`);
    figures[chain.company] = { products: PRODUCTS, rounds: ROUNDS, ...best, roundShares: shares, medianRoundShare: median };
    targets.push({ description: `${chain.company}: ${best.scraper.pagesPerSecond} pages/s ≥ 50% of the fetch floor's ${best.floor.pagesPerSecond} pages/s (${round(share * 100)}%, best of ${ROUNDS} alternating rounds each)`, met: share >= 0.5 });
    targets.push({ description: `${chain.company}: peak RSS ${best.scraper.peakRssMiB} MiB < 300 MiB (the most of ${ROUNDS} runs)`, met: best.scraper.peakRssMiB < 300 });
  }
  return { products: PRODUCTS, figures, targets };
}

/** One round: the scraper over a fresh fixture site, then the floor over the requests it made. */
async function measure(chain) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trolley-bench-scrape-${chain.company}-`));
  const site = await chain.site().start();
  try {
    const outbox = path.join(dir, 'out');
    const cookies = chain.cookies ? path.join(dir, 'cookies.txt') : undefined;
    if (cookies) fs.writeFileSync(cookies, chain.cookies);
    const cli = await runCli(['scrape', 'products', '--company', chain.company, '--store', chain.store, '--outbox', outbox, '--delay', '0', '--base-url', site.origin, ...(cookies ? ['--cookies', cookies] : []), '--json'], sandboxEnv(dir));
    const result = JSON.parse(cli.stdout);
    if (result.status !== 'done' || result.products !== PRODUCTS) throw new Error(`${chain.company}: expected ${PRODUCTS} products done, got ${result.products} (${result.status})`);
    const hits = site.requests.filter((r) => r.path !== '/');
    const crawlSeconds = (Math.max(...hits.map((h) => h.at)) - Math.min(...hits.map((h) => h.at))) / 1000;
    const requestsFile = path.join(dir, 'requests.json');
    fs.writeFileSync(requestsFile, JSON.stringify(hits.map((h) => ({ method: h.method, url: `${site.origin}${h.path}${h.query.size > 0 ? `?${h.query}` : ''}`, body: h.body, cookie: h.headers.cookie }))));
    const base = await floor(requestsFile);
    // The floor's time spans its whole loop; the scraper's is measured the same way, first request to last.
    return {
      requests: hits.length,
      floor: { seconds: round(base.seconds, 3), pagesPerSecond: round(hits.length / base.seconds), peakRssMiB: round(base.peakRssMiB) },
      scraper: { crawlSeconds: round(crawlSeconds, 3), pagesPerSecond: round((hits.length - 1) / crawlSeconds), commandSeconds: round(cli.seconds, 3), peakRssMiB: round(cli.peakRssMiB) },
    };
  } finally {
    await site.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
