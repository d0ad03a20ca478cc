#!/usr/bin/env node
// npm run bench -- <suite> [more suites]   (no suite: list them)
// Each suite prints its figures beside a baseline measured in the same run, and writes them to
// bench/results/<suite>.json with the machine and the date.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const suites = fs.readdirSync(path.join(here, 'suites')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (wanted.length === 0) {
  console.log(`usage: npm run bench -- <suite>...\nsuites: ${suites.join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of wanted) {
  if (!suites.includes(name)) {
    console.error(`bench: no suite "${name}"; choose one of ${suites.join(', ')}.`);
    process.exit(2);
  }
  const { run } = await import(`./suites/${name}.mjs`);
  console.log(`== ${name}`);
  const result = await run();
  const record = {
    suite: name,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    ...result,
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  for (const target of result.targets ?? []) {
    console.log(`${target.met ? 'MET ' : 'MISS'} ${target.description}`);
    failed ||= !target.met;
  }
}
process.exitCode = failed ? 1 : 0;
