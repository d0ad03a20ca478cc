// Runs the trolley CLI in a child process and measures its wall time and peak RSS (from the
// child's own process.resourceUsage(), written at exit).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../packages/core/bin/run.js', import.meta.url));
const WRAPPER = fileURLToPath(new URL('./rss-wrapper.mjs', import.meta.url));

export function sandboxEnv(dir, extra = {}) {
  return { PATH: process.env.PATH, HOME: dir, TROLLEY_HOME: path.join(dir, 'home'), TROLLEY_DATA_DIR: path.join(dir, 'data'), TROLLEY_CACHE_DIR: path.join(dir, 'cache'), TROLLEY_CONFIG_DIR: path.join(dir, 'config'), TROLLEY_LOG_LEVEL: 'warn', ...extra };
}

export function runCli(args, env) {
  const rssFile = path.join(os.tmpdir(), `trolley-rss-${process.pid}-${Date.now()}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [WRAPPER, BIN, ...args], { env: { ...env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakRssMiB = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024 : NaN;
      fs.rmSync(rssFile, { force: true });
      if (code !== 0) reject(new Error(`trolley ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ stdout, stderr, seconds, peakRssMiB });
    });
  });
}
