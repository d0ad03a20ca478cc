// Load on a running server from a separate process (bench/lib/load-generator.mjs, autocannon), and
// what it cost the server: the server process's CPU time per request, read from /proc before and
// after (the clock's ticks are 10 ms, so over thousands of requests it is good to a few µs) — what
// a route costs the server whatever else runs on the machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const GENERATOR = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));

/** CPU time (user + system, ms) a process has used so far, from /proc (NaN where there is none). */
export function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function generate(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GENERATOR], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the load generator exited ${code}: ${err.slice(-2000)}`))));
    child.stdin.end(JSON.stringify(input));
  });
}

/**
 * `total` GETs of `pathOf(i)` (i = 0 … total - 1), `connections` at a time, against `server`
 * ({url, pid}): latency percentiles (ms), requests a second, failures (non-2xx, errors, timeouts)
 * and the server's CPU time per request (ms).
 */
export async function load(server, total, pathOf, connections) {
  const paths = Array.from({ length: total }, (_, i) => pathOf(i));
  const cpuBefore = cpuMs(server.pid);
  const result = await generate({ url: server.url, paths, amount: total, connections });
  return { ...result, serverCpuMsPerRequest: (cpuMs(server.pid) - cpuBefore) / total };
}
