#!/usr/bin/env node
// Runs ava with its TAP reporter, passes the report through, and ends with one line that any CI can
// read: `N passed, N failed[, N not run (...)][, N skipped]`. Every test counts: a test file that
// cannot load, a test that times out and a runner that stops early are failures. Tests that need the
// full real data files (see docs/testing.md) are counted apart when TROLLEY_REAL_DATA is not set.
// Exits non-zero when a test failed, none passed, or ava itself failed.
// Usage: node scripts/test.mjs [ava arguments, e.g. a file glob or --match]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Keep in step with REAL_DATA_NOT_RUN in packages/core/src/testing/real-data.ts.
const NOT_RUN = '[not run: needs TROLLEY_REAL_DATA]';

const ava = fileURLToPath(new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url));
const timeoutFix = new URL('./ava-tap-timeout.mjs', import.meta.url).href;
const child = spawn(process.execPath, ['--import', timeoutFix, ava, '--tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let passed = 0;
let failed = 0;
let skipped = 0;
let notRun = 0;
let planned = false;
const failures = [];
createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  if (/^1\.\.\d+/.test(line)) planned = true;
  if (/^ok \d+/.test(line)) {
    if (line.includes(NOT_RUN)) notRun++;
    else if (/# (SKIP|TODO)/i.test(line)) skipped++;
    else passed++;
  } else if (/^not ok \d+/.test(line)) {
    if (/# TODO/i.test(line)) skipped++;
    else {
      failed++;
      failures.push(line.replace(/^not ok \d+ - /, ''));
    }
  }
});
child.on('close', (code, signal) => {
  if (!planned) {
    // ava stopped before its report was complete: whatever had not reported yet is lost.
    failed++;
    failures.push(`the test runner stopped before the end of the run (${signal ?? `exit code ${code}`}); see its error above: later results are missing`);
  }
  if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.map((f) => `  ✘ ${f}`).join('\n')}\n`);
  const parts = [`${passed} passed`, `${failed} failed`];
  if (notRun) parts.push(`${notRun} not run (they need the full real data files: set TROLLEY_REAL_DATA to their folder, see docs/testing.md)`);
  if (skipped) parts.push(`${skipped} skipped`);
  process.stdout.write(`\n${parts.join(', ')}\n`);
  process.exitCode = code !== 0 || failed > 0 || passed === 0 ? code || 1 : 0;
});
