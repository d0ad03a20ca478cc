#!/usr/bin/env node
// The load generator of the serve suite, run as a process of its own so that it shares no event
// loop with the suite (or with anything else): autocannon, `connections` clients each sending its
// next request when the last one answers (one in flight per connection, kept alive), `amount`
// requests in all, the i-th request (over all clients) to `paths[i % paths.length]`.
// Input on stdin: {"url", "paths", "amount", "connections"}. Output on stdout: one JSON line with
// latency percentiles (ms, from autocannon's HDR histogram), requests per second, and failures.
import autocannon from 'autocannon';

let input = '';
for await (const chunk of process.stdin.setEncoding('utf8')) input += chunk;
const { url, paths, amount, connections } = JSON.parse(input);

let next = 0;
const started = performance.now();
const result = await autocannon({
  url,
  connections,
  amount,
  pipelining: 1,
  timeout: 30,
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
});
const seconds = (performance.now() - started) / 1000;
const { latency } = result;
process.stdout.write(
  JSON.stringify({
    p50: latency.p50,
    p90: latency.p90,
    p99: latency.p99,
    max: latency.max,
    perSecond: result.requests.total / seconds,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  }) + '\n',
);
