// Substitutions at scale (all of issue 5's figures; the semantic half is bench/suites/embeddings.mjs): 50,000 products from `trolley sample` plus the real 2026 Aldi catalogue
// in the local PostgreSQL. LVL1+LVL2 through `trolley subs generate` (wall time, peak RSS), and in
// this process the blocked LVL2 beside the all-pairs brute force over the same catalogue (the
// baseline), each with cmpstr's result cache emptied first, so no pair is scored from the cache of
// the other run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, psql, SERVER } from '../lib/psql.mjs';
import { runCli, sandboxEnv } from '../lib/cli.mjs';
import { HELD_BACK_SPLIT } from '../../packages/plugin-subs/dist/src/decision/dev-set-metrics.js';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 17_000);
const REAL = fileURLToPath(new URL('../../../shared/data/real/', import.meta.url));
const CATALOGUE = path.join(REAL, 'aldi/aldi-catalogue-2026-06-29.jsonl.gz');
const core = (p) => new URL(`../../packages/core/dist/src/${p}`, import.meta.url).href;
const subs = (p) => new URL(`../../packages/plugin-subs/dist/src/${p}`, import.meta.url).href;

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-bench-subs-'));
  const schema = `bench_subs_${process.pid}`;
  const env = { ...sandboxEnv(dir), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema };
  try {
    const inbox = path.join(dir, 'inbox');
    await runCli(['sample', '--out', inbox, '--stores', '4', '--products', String(PRODUCTS), '--days', '1', '--seed', '11', '--json'], env);
    fs.copyFileSync(CATALOGUE, path.join(inbox, path.basename(CATALOGUE)));
    await runCli(['import', inbox, '--store-id', 'CATALOGUE', '--json'], env);

    const generated = await runCli(['subs', 'generate', '--levels', '1,2', '--json'], env);
    const result = JSON.parse(generated.stdout);
    const lvl12 = result.generators.reduce((s, g) => s + g.seconds, 0);

    // In this process: the blocked generator and the brute force over the same catalogue.
    const { default: knexFactory } = await import('knex');
    const knex = knexFactory({ client: 'pg', connection: SERVER, searchPath: [schema] });
    const { readCatalogue } = await import(core('catalogue/read-catalogue.js'));
    const catalogue = await readCatalogue(knex);
    await knex.destroy();
    const { Metric } = await import('cmpstr/root');
    const { nearIdenticalName, isNearIdenticalName, sizeSetKey } = await import(subs('generators/near-identical-name.js'));
    const { tokenSetRatio } = await import(subs('similarity/token-set-ratio.js'));

    Metric.clear();
    let started = performance.now();
    const blocked = await nearIdenticalName.generate(catalogue, { embedder: 'auto' });
    const blockedSeconds = (performance.now() - started) / 1000;

    Metric.clear();
    started = performance.now();
    let brute = 0;
    const keys = catalogue.map((p) => `${p.brandKey}\u0000${sizeSetKey(p)}`);
    for (let i = 0; i < catalogue.length; i++) {
      const x = catalogue[i];
      if (x.brandKey === '' || x.sizes.length === 0) continue;
      for (let j = i + 1; j < catalogue.length; j++) {
        if (keys[i] !== keys[j]) continue;
        if (isNearIdenticalName(tokenSetRatio(x.name, catalogue[j].name))) brute++;
      }
    }
    const bruteSeconds = (performance.now() - started) / 1000;

    const figures = {
      products: result.products,
      pairs: result.pairs,
      lvl1And2: { seconds: round(lvl12), commandSeconds: round(generated.seconds), peakRssMiB: Math.round(generated.peakRssMiB), perGenerator: result.generators },
      lvl2Blocked: { pairs: blocked.length, seconds: round(blockedSeconds) },
      lvl2AllPairs: { pairs: brute, seconds: round(bruteSeconds), comparisons: (catalogue.length * (catalogue.length - 1)) / 2 },
      speedup: round(bruteSeconds / blockedSeconds),
    };
    console.log(`catalogue           ${result.products.toLocaleString()} products, ${result.pairs.toLocaleString()} LVL1+LVL2 pairs`);
    console.log(`LVL1+LVL2           ${figures.lvl1And2.seconds} s in the generators, ${figures.lvl1And2.commandSeconds} s for the whole command, peak RSS ${figures.lvl1And2.peakRssMiB} MiB`);
    console.log(`LVL2 blocked        ${blocked.length} pairs in ${figures.lvl2Blocked.seconds} s`);
    console.log(`LVL2 all pairs      ${brute} pairs in ${figures.lvl2AllPairs.seconds} s (baseline, ${figures.lvl2AllPairs.comparisons.toLocaleString()} pairs looked at): blocked is ${figures.speedup}× faster`);
    // The semantic levels and the embedders: the embeddings suite, in the same run.
    const semantic = await (await import('./embeddings.mjs')).run();
    const devSet = await devSetFigures(dir);
    for (const level of ['lvl3', 'lvl4']) {
      const f = devSet[level].heldBack;
      console.log(`dev set ${level} held back: precision ${pct(f.precision)} (weighted; sample ${pct(f.samplePrecision)}), kept y/b/n ${f.kept.yes}/${f.kept.borderline}/${f.kept.no}, dropped ${f.dropped.yes}/${f.dropped.borderline}/${f.dropped.no}; coverage ${f.anchorsCovered}/${f.anchorsWithSubstitute} = ${pct(f.coverage)}`);
    }
    return {
      figures: { ...figures, semantic: semantic.figures, devSet },
      targets: [
        ...['lvl3', 'lvl4'].flatMap((level) => [
          { description: `${level} ${HELD_BACK_SPLIT} precision ${pct(devSet[level].heldBack.precision)} ≥ 85%`, met: devSet[level].heldBack.precision >= 0.85 },
          { description: `${level} ${HELD_BACK_SPLIT} coverage ${pct(devSet[level].heldBack.coverage)} ≥ 85%`, met: devSet[level].heldBack.coverage >= 0.85 },
        ]),
        { description: `LVL1+2 ${figures.lvl1And2.seconds} s < 10 s`, met: figures.lvl1And2.seconds < 10 },
        { description: `blocked LVL2 equals all pairs (${blocked.length} = ${brute})`, met: blocked.length === brute },
        { description: `peak RSS ${figures.lvl1And2.peakRssMiB} MiB < 2 GB`, met: figures.lvl1And2.peakRssMiB < 2048 },
        ...semantic.targets,
      ],
    };
  } finally {
    dropSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => Math.round(x * 100) / 100;
const pct = (x) => `${(x * 100).toFixed(1)}%`;

/**
 * Precision and coverage of the shipped pair model on the held-back part (the split HELD_BACK_SPLIT names) of the development set
 * (packages/plugin-subs/test/fixtures/dev-set): the real Aldi 2026 catalogue and IGA North Sydney
 * file imported into a schema of their own, evaluated by the plugin's dev-set script.
 */
async function devSetFigures(dir) {
  const schema = `bench_devset_${process.pid}`;
  const env = { ...sandboxEnv(path.join(dir, 'devset')), DATABASE_URL: SERVER, TROLLEY_DATABASE_SCHEMA: schema };
  try {
    for (const [file, extra] of [
      ['aldi/aldi-catalogue-2026-06-29.jsonl.gz', ['--store-id', 'CATALOGUE']],
      ['iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz', []],
    ]) {
      const inbox = path.join(dir, 'devset-inbox', path.dirname(file));
      fs.mkdirSync(inbox, { recursive: true });
      fs.copyFileSync(path.join(REAL, file), path.join(inbox, path.basename(file)));
      await runCli(['import', inbox, ...extra, '--json'], env);
    }
    const script = fileURLToPath(new URL('../../packages/plugin-subs/scripts/dev-set/train.mjs', import.meta.url));
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [script, '--shipped', '--held-back', '--json'], { env: { ...process.env, ...env, TROLLEY_LOG_LEVEL: 'warn' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    return JSON.parse(out.slice(out.indexOf('{\n')));
  } finally {
    dropSchema(schema);
  }
}
