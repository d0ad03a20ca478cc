// The importing process's CPU to read and check a day's files, without and with store digests
// (docs/import.md, "The digest of a store's last scrape"): node bench/lib/read-cpu.mjs DATABASE_URL DIR [ROUNDS].
// The digests are read from DATABASE_URL once (timed apart); then, alternating, every file of DIR is
// read as `trolley import` reads it: every line parsed (digest off), every line parsed and hashed
// from its bytes (digest on, no digest yet: a first day), and lines found in the digest not parsed.
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { readScrapeFile } from '../../packages/core/dist/src/import/scrape-file.js';
import { readDigest } from '../../packages/core/dist/src/import/store-digest.js';

const [url, dir, rounds = '3'] = process.argv.slice(2);
const files = fs.readdirSync(dir).filter((f) => /\.jsonl(\.gz)?$/.test(f)).map((f) => path.join(dir, f));
const knex = knexFactory({ client: 'pg', connection: url });
const digests = new Map();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let started = cpu();
let lines = 0;
for (const file of files) {
  const scrape = await readScrapeFile(file, { digestOf: async (store, date) => {
    const digest = await readDigest(knex, store, date, undefined);
    digests.set(`${store.company}:${store.storeId}`, digest);
    return undefined;
  } });
  lines += scrape.rows.length;
}
const fetchCpu = cpu() - started;
await knex.destroy();
const modes = {
  off: {},
  hashed: { digestOf: async () => undefined },
  on: { digestOf: async (store) => digests.get(`${store.company}:${store.storeId}`) },
};
const results = {};
for (let round = 0; round < Number(rounds); round++) {
  for (const [mode, options] of Object.entries(modes)) {
    started = cpu();
    let unparsed = 0;
    for (const file of files) unparsed += (await readScrapeFile(file, options)).repeated?.length ?? 0;
    const seconds = cpu() - started;
    (results[mode] ??= []).push(seconds);
    console.log(`round ${round + 1} ${mode}: ${seconds.toFixed(2)} s CPU, ${((seconds / lines) * 1e6).toFixed(2)} µs a line, ${unparsed} of ${lines} lines not parsed`);
  }
}
console.log(JSON.stringify({ files: files.length, lines, digests: [...digests.values()].filter(Boolean).length, firstPassWithDigestReads: Number(fetchCpu.toFixed(2)), results }));
