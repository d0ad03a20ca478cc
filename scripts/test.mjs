#!/usr/bin/env node
// Runs ava with its TAP reporter, passes the report through, and ends with one line that any CI can
// read: `N passed, N failed, N skipped`. Exits non-zero when a test failed or none ran.
// Usage: node scripts/test.mjs [ava arguments, e.g. a file glob or --match]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ava = fileURLToPath(new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url));
const child = spawn(process.execPath, [ava, '--tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (/^ok \d+/.test(line)) {
    if (/# (SKIP|TODO)/i.test(line)) skipped++;
    else passed++;
  } else if (/^not ok \d+/.test(line)) {
    if (/# TODO/i.test(line)) skipped++;
    else {
      failed++;
      failures.push(line.replace(/^not ok \d+ - /, ''));
    }
  }
});
child.on('close', (code) => {
  if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.map((f) => `  ✘ ${f}`).join('\n')}\n`);
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exitCode = code !== 0 || failed > 0 || passed === 0 ? code || 1 : 0;
});
