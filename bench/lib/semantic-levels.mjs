// Runs the semantic substitution levels (lvl3, lvl4) once, wired as the CLI wires them: oclif
// discovers the plugins, the kernel opens the database of TROLLEY_HOME / DATABASE_URL, the
// generators come from the extension registry. Prints one JSON line with the timings.
// Usage: node bench/lib/semantic-levels.mjs [embedder]
import 'reflect-metadata';
import { Config } from '@oclif/core';
import { Kernel, readCatalogue, resolveConfig } from '@trolley/core';
import { fileURLToPath } from 'node:url';

const embedder = process.argv[2] ?? 'auto';
const oclif = await Config.load(fileURLToPath(new URL('../../packages/core/', import.meta.url)));
const kernel = await Kernel.forOclif(oclif, { config: resolveConfig({ dataDir: oclif.dataDir, env: process.env, flags: {} }) });
try {
  const knex = await kernel.knex();
  const registry = await kernel.extensions();
  const started = process.hrtime.bigint();
  const catalogue = await readCatalogue(knex);
  const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const before = Number((await knex('embeddings').count('* as n'))[0].n);
  const result = { products: catalogue.length, readSeconds, levels: {} };
  for (const id of ['lvl3', 'lvl4']) {
    const generator = await registry.get('SubstitutionGenerator', id, kernel.container);
    const t0 = process.hrtime.bigint();
    const pairs = await generator.generate(catalogue, { embedder });
    result.levels[id] = { pairs: pairs.length, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  }
  result.embedded = Number((await knex('embeddings').count('* as n'))[0].n) - before;
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await kernel.dispose();
}
