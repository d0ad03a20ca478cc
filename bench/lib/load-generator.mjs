#!/usr/bin/env node
// The load generator of the serve suite, run as a process of its own so that it shares no event
// loop with the suite (or with anything else): autocannon, `connections` clients each sending its
// next request when the last one answers (one in flight per connection, kept alive), `amount`
// requests in all, the i-th request (over all clients) to `paths[i % paths.length]`.
// Input on stdin: {"url", "paths", "amount", "connections"}. Output on stdout: one JSON line with
// latency percentiles (ms), requests per second, and failures.
//
// The percentiles are of the requests sent on an open connection, as a site's back end holding
// kept-alive connections sends them: each connection's first request also waits for the TCP
// connection to be made (100 connections opened at once, on a busy machine up to seconds), and
// with 100 connections and 3,000 requests those first requests are 3.3% of all, so they alone
// would decide the p99. They are reported apart (`connecting`), and autocannon's own histogram of
// every request as `allRequests`.
import autocannon from 'autocannon';

let input = '';
for await (const chunk of process.stdin.setEncoding('utf8')) input += chunk;
const { url, paths, amount, connections } = JSON.parse(input);

let next = 0;
const connected = new WeakSet();
const open = [];
const first = [];
const started = performance.now();
const instance = autocannon({
  url,
  connections,
  amount,
  pipelining: 1,
  timeout: 30,
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
});
// Requests a second are counted to the last response, not to when autocannon resolves: it sees
// that `amount` requests are done only at its next one-second tick, which made every rate 3,000
// requests over a whole number of seconds (2,9xx, 1,47x, 98x req/s) until 2026-12-01.
let lastResponse = started;
instance.on('response', (client, statusCode, bytes, ms) => {
  lastResponse = performance.now();
  if (connected.has(client)) open.push(ms);
  else (connected.add(client), first.push(ms));
});
const result = await instance;
const seconds = (lastResponse - started) / 1000;
const percentiles = (values) => {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1] };
};
const { latency } = result;
process.stdout.write(
  JSON.stringify({
    ...percentiles(open),
    requests: result.requests.total,
    openRequests: open.length,
    connecting: { requests: first.length, ...percentiles(first) },
    allRequests: { p50: latency.p50, p99: latency.p99, max: latency.max },
    perSecond: result.requests.total / seconds,
    failures: result.non2xx + result.errors + result.timeouts,
  }) + '\n',
);
