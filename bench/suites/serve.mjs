// The read API at scale on the local PostgreSQL: PRODUCTS products with names built from real-shaped
// words (brand, descriptors, noun, size), STORES stores of which PRICED carry a price for every
// product. `trolley serve` runs as its own process, and so does the load generator (autocannon,
// bench/lib/load-generator.mjs):
// - search: 100 concurrent clients, each asking GET /api/products?q=… (words, misspellings,
//   barcodes), p50/p99 — beside GET /healthz under the same load (the floor: HTTP and Node alone);
// - prices of a product at 10 stores, same load, p99;
// - both again with nothing repeated (every search a query of its own, every prices request its own
//   set of 10 stores), so that neither the server's kept search pages nor its sharing of one
//   statement among requests at the same stores carries the figure;
// - a basket of 30 items over 20 stores with k = 3 (exact MILP), time of each solve.
// BENCH_PRODUCTS, BENCH_STORES, BENCH_PRICED, BENCH_REQUESTS shrink it on a busy machine;
// BENCH_SERVE_NODE_ARGS passes node options to the server process (a CPU profile, say), and
// BENCH_SERVE_ARGS more `trolley serve` flags (`--search-threads 0`, say).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { BIN, runCli, sandboxEnv } from '../lib/cli.mjs';
import { load as loadFrom } from '../lib/load.mjs';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 50_000);
const STORES = Number(process.env.BENCH_STORES ?? 2_000);
const PRICED = Number(process.env.BENCH_PRICED ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const CONCURRENCY = 100;
const load = (server, total, pathOf) => loadFrom(server, total, pathOf, CONCURRENCY);

const BRANDS = ['Berg', 'Remano', 'Farmdale', 'Coles', 'Woolworths', 'Macro', 'Sanitarium', 'Arnotts', 'Bega', 'Devondale', 'Heinz', 'Kelloggs', 'Primo', 'Don', 'Ingham', 'Lurpak', 'Mission', 'Tip Top', 'Helga', 'Uncle Tobys'];
const WORDS = ['Short Cut', 'Middle', 'Streaky', 'Smoked', 'Free Range', 'Organic', 'Light', 'Full Cream', 'Wholemeal', 'Crunchy', 'Smooth', 'Chicken', 'Beef', 'Vanilla', 'Chocolate', 'Strawberry', 'Garlic', 'Sourdough', 'Greek', 'Natural'];
const NOUNS = ['Bacon', 'Milk', 'Bread', 'Yoghurt', 'Cheese', 'Butter', 'Sausages', 'Biscuits', 'Cereal', 'Pasta', 'Rice', 'Tomato Sauce', 'Peanut Butter', 'Ice Cream', 'Orange Juice', 'Coffee', 'Tea', 'Muesli', 'Wraps', 'Ham'];
const SIZES = ['175g', '250g', '500g', '1kg', '2L', '1L', '600ml', '750g', '6 Pack', '12 Pack'];
const QUERIES = ['short cut bacon', 'bacn', 'full cream milk', 'greek yoghurt', 'wholemeal bread', 'peanut buttr', 'vanilla ice cream', 'berg', 'orange juice 2l', 'choclate biscuits', 'free range sausages', 'sourdough'];

// The i-th query of the all-distinct mix: a brand, a descriptor, a noun (every third one misspelt
// by a dropped letter) and a size, in 80,000 combinations before any repeats.
const misspelt = (word, i) => (i % 3 === 1 ? word.slice(0, 1 + (i % (word.length - 1))) + word.slice(2 + (i % (word.length - 1))) : word);
const distinctQuery = (i) =>
  `${BRANDS[Math.floor(i / 4000) % 20]} ${WORDS[i % 20]} ${misspelt(NOUNS[Math.floor(i / 20) % 20], i)} ${SIZES[Math.floor(i / 400) % 10]}`.toLowerCase();
// The i-th request's 10 stores when they differ per request: 10 of the priced stores, drawn by i.
function storeSetOf(i, priced) {
  const ids = Array.from({ length: priced }, (_, k) => k + 1);
  let seed = (i + 1) * 2654435761;
  for (let k = ids.length - 1; k > 0; k--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (k + 1);
    [ids[k], ids[j]] = [ids[j], ids[k]];
  }
  return ids.slice(0, Math.min(10, priced)).sort((a, b) => a - b).join(',');
}

const array = (values) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

function serve(env) {
  const started = performance.now();
  // BENCH_SERVE_NODE_ARGS: node options for the server process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const serveArgs = (process.env.BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--no-auth', '--port', '0', ...serveArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const url = /at (http:\/\/\S+) /.exec(out)?.[1];
      if (url) resolve({ url, pid: child.pid, startMs: performance.now() - started, stop: () => new Promise((done) => (child.on('close', done), child.kill('SIGTERM'))) });
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('close', (code) => reject(new Error(`trolley serve exited ${code} before listening: ${out}`)));
  });
}

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-serve-'));
  const schema = `bench_serve_${process.pid}`;
  const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema };
  try {
    await runCli(['db', 'migrate', '--json'], env);
    const s = schema;
    const setup = performance.now();
    psql(`set search_path = ${s};
      insert into companies (name, display_name) values ('coles', 'Coles'), ('woolworths', 'Woolworths'), ('aldi', 'Aldi'), ('iga', 'IGA');
      insert into stores (company_id, store_id, name, state, postcode) select 1 + i % 4, 'S' || i, 'Store ' || i, 'nsw', (2000 + i % 900)::text from generate_series(1, ${STORES}) i;
      insert into brands (key, name) select lower(b), b from unnest(${array(BRANDS)}) b;
      insert into products (nnbs, name, brand_id, barcode, sizes)
        select 'p' || i, w[1 + i % 20] || ' ' || n[1 + (i / 20) % 20] || ' ' || z[1 + (i / 400) % 10] || ' ' || i, 1 + (i * 7) % 20, (9300000000000 + i)::text, array[z[1 + (i / 400) % 10]]
        from generate_series(1, ${PRODUCTS}) i, (select ${array(WORDS)} as w, ${array(NOUNS)} as n, ${array(SIZES)} as z) a;
      insert into product_skus (company_id, sku, product_id) select 1 + id % 4, 'SKU' || id, id from products;
      insert into prices (store_id, product_id, price, unit_price, unit, scraped_date)
        select s.id, p.id, round((1 + (p.id * 13 + s.id * 7) % 2000 / 100.0)::numeric, 2), 1, 'each', current_date from stores s, products p where s.id <= ${PRICED};
      analyze;`);
    console.log(`data: ${PRODUCTS.toLocaleString()} products, ${STORES.toLocaleString()} stores, ${(PRODUCTS * PRICED).toLocaleString()} prices at ${PRICED} stores (${((performance.now() - setup) / 1000).toFixed(1)} s)`);

    const server = await serve(env);
    console.log(`trolley serve listening after ${(server.startMs / 1000).toFixed(1)} s (the search index read first)`);
    try {
      await load(server, 200, () => '/healthz');
      const floor = await load(server, REQUESTS, () => '/healthz');
      const queries = (i) => (i % 5 === 4 ? String(9300000000000 + 1 + ((i * 7919) % PRODUCTS)) : QUERIES[i % QUERIES.length]);
      // Each route is warmed as the floor is (200 requests first, not counted): the figures are of
      // a server that has compiled its hot code and opened its connections, on every route alike.
      const searchPath = (i) => `/api/products?q=${encodeURIComponent(queries(i))}&limit=20`;
      await load(server, 200, (i) => searchPath(i + REQUESTS));
      const search = await load(server, REQUESTS, searchPath);
      const storeList = Array.from({ length: 10 }, (_, i) => 1 + ((i * 3) % PRICED)).join(',');
      const pricesPath = (i) => `/api/products/${1 + ((i * 104729) % PRODUCTS)}/prices?store_ids=${storeList}`;
      await load(server, 200, (i) => pricesPath(i + REQUESTS));
      const prices = await load(server, REQUESTS, pricesPath);
      const distinctSearchPath = (i) => `/api/products?q=${encodeURIComponent(distinctQuery(i))}&limit=20`;
      await load(server, 200, (i) => distinctSearchPath(i + REQUESTS));
      const searchDistinct = await load(server, REQUESTS, distinctSearchPath);
      const ownStoresPath = (i) => `/api/products/${1 + ((i * 104729) % PRODUCTS)}/prices?store_ids=${storeSetOf(i, PRICED)}`;
      await load(server, 200, (i) => ownStoresPath(i + REQUESTS));
      const pricesOwnStores = await load(server, REQUESTS, ownStoresPath);
      const basketTimes = [];
      for (let run = 0; run < 5; run++) {
        const items = Array.from({ length: 30 }, (_, i) => ({ product_id: 1 + ((run * 1000 + i * 1637) % PRODUCTS), quantity: 1 + (i % 3) }));
        const started = performance.now();
        const response = await fetch(`${server.url}/api/basket/split`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, store_ids: Array.from({ length: 20 }, (_, i) => 1 + (i % PRICED)), max_stores: 3 }) });
        const plan = await response.json();
        if (response.status !== 200) throw new Error(`basket split answered ${response.status}: ${JSON.stringify(plan)}`);
        basketTimes.push(performance.now() - started);
      }
      basketTimes.sort((a, b) => a - b);
      const line = (name, r) =>
        `${name.padEnd(28)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  ${r.perSecond.toFixed(0).padStart(6)} req/s  server CPU ${r.serverCpuMsPerRequest.toFixed(2)} ms/req  ${r.failures} failed` +
        `  (first request of each connection: p99 ${r.connecting.p99.toFixed(0)} ms, max ${r.connecting.max.toFixed(0)} ms; all requests p99 ${r.allRequests.p99} ms)`;
      console.log(line('GET /healthz (floor)', floor));
      console.log(line('search', search));
      console.log(line('prices at 10 stores', prices));
      console.log(line('search, all distinct', searchDistinct));
      console.log(line('prices, own 10 stores each', pricesOwnStores));
      console.log(`basket 30 items, 20 stores, k=3: ${basketTimes.map((t) => t.toFixed(0)).join(', ')} ms (request, solve included)`);
      return {
        config: { serveArgs: process.env.BENCH_SERVE_ARGS ?? '', products: PRODUCTS, stores: STORES, pricedStores: PRICED, requests: REQUESTS, concurrency: CONCURRENCY, loadAverage: os.loadavg() },
        serverStartMs: server.startMs,
        floor,
        search,
        prices,
        searchDistinct,
        pricesOwnStores,
        basketMs: basketTimes,
        targets: [
          { description: `search p99 ${search.p99.toFixed(1)} ms < 50 ms under ${CONCURRENCY} concurrent requests (floor /healthz p99 ${floor.p99.toFixed(1)} ms)`, met: search.p99 < 50 && search.failures === 0 },
          { description: `prices at 10 stores p99 ${prices.p99.toFixed(1)} ms < 50 ms`, met: prices.p99 < 50 && prices.failures === 0 },
          { description: `search, every query distinct: p99 ${searchDistinct.p99.toFixed(1)} ms < 50 ms`, met: searchDistinct.p99 < 50 && searchDistinct.failures === 0 },
          { description: `prices, each request its own 10 stores: p99 ${pricesOwnStores.p99.toFixed(1)} ms < 50 ms`, met: pricesOwnStores.p99 < 50 && pricesOwnStores.failures === 0 },
          { description: `basket of 30 items over 20 stores, k = 3: slowest ${basketTimes.at(-1).toFixed(0)} ms < 1,000 ms`, met: basketTimes.at(-1) < 1000 },
        ],
      };
    } finally {
      await server.stop();
    }
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
