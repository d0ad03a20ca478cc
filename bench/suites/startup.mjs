// Median wall time of `trolley --help` and `trolley extensions` over 10 runs each, beside bare
// `node -e 0` (the floor: what any Node CLI pays) measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../packages/core/bin/run.js', import.meta.url));
const RUNS = 10;

function time(args, env) {
  const samples = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i > 0) samples.push(ms); // the first run warms the file cache
  }
  samples.sort((a, b) => a - b);
  return { medianMs: round((samples[4] + samples[5]) / 2), minMs: round(samples[0]), maxMs: round(samples.at(-1)) };
}

const round = (x) => Math.round(x * 10) / 10;

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-'));
  const env = { PATH: process.env.PATH, HOME: dir, TROLLEY_HOME: path.join(dir, 'home'), TROLLEY_DATA_DIR: path.join(dir, 'data'), TROLLEY_CACHE_DIR: path.join(dir, 'cache'), TROLLEY_CONFIG_DIR: path.join(dir, 'config') };
  try {
    const floor = time(['-e', '0'], env);
    const help = time([bin, '--help'], env);
    const extensions = time([bin, 'extensions'], env);
    const rows = [
      ['node -e 0 (floor)', floor],
      ['trolley --help', help],
      ['trolley extensions', extensions],
    ];
    console.log(`${'command'.padEnd(22)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  vs floor`);
    for (const [name, t] of rows) console.log(`${name.padEnd(22)} ${`${t.medianMs} ms`.padStart(9)} ${`${t.minMs} ms`.padStart(9)} ${`${t.maxMs} ms`.padStart(9)}  ${(t.medianMs / floor.medianMs).toFixed(1)}×`);
    return {
      runs: RUNS,
      figures: { floor, help, extensions },
      targets: [{ description: `trolley --help median ${help.medianMs} ms ≤ 400 ms`, met: help.medianMs <= 400 }],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
