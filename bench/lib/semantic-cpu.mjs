// CPU seconds (process.cpuUsage) of the semantic levels' work — LVL3's pairs, LVL4's MATCH links
// and pairs — on the catalogue of DATABASE_URL (+ TROLLEY_DATABASE_SCHEMA), with deterministic
// hashed bag-of-words 512-d vectors standing in for use-lite (so no model runs and no cache is
// read), decided by the use-lite pair model. Load inflates CPU time far less than wall time, so two
// builds can be compared on a shared machine: run them alternately.
// Each level's pairs are also summed up as a SHA-256 of their (a, b, score) lines, so two builds
// can be shown to give the same pairs.
// Usage: [VECTORS=use-lite] node bench/lib/semantic-cpu.mjs [PLUGIN_SUBS_DIR] [passes]
// PLUGIN_SUBS_DIR (default packages/plugin-subs) holds the build to measure (its dist/ and data/).
import { createHash } from 'node:crypto';
import knexFactory from 'knex';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCatalogue } from '@trolley/core';

const root = path.resolve(process.argv[2] ?? 'packages/plugin-subs');
const passes = Number(process.argv[3] ?? 2);
const dist = async (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
const { bagOfWordsEmbedder } = await dist('test/helpers/kernel.js');
const { PairDecision } = await dist('src/generators/pair-decision.js');
const { PairCollector } = await dist('src/generators/pair-collector.js');
const { productsByCategory } = await dist('src/generators/same-category-semantic.js');
const { categoryClasses, firstSharedCategory } = await dist('src/generators/category-classes.js');
const { forEachNeighbourInClasses } = await dist('src/generators/semantic-neighbours.js');
// categoryCompanies: absent from builds before 2026-12-01's sameCompany feature (paired runs against them).
const { linkedPairs, categoryCompanies } = await dist('src/generators/linked-categories-semantic.js');
const { matchLinks, leafCategories, overlapLinks } = await dist('src/categories/category-links.js');

if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL (and TROLLEY_DATABASE_SCHEMA) to the database holding the catalogue.');
const knex = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, searchPath: [process.env.TROLLEY_DATABASE_SCHEMA ?? 'public'] });
const catalogue = await readCatalogue(knex);
// VECTORS=use-lite: use-lite's vectors from the database's embedding cache (embedding what is missing) instead.
let vectors;
if (process.env.VECTORS === 'use-lite') {
  const { createUseLiteEmbedder } = await dist('src/embeddings/use-lite-embedder.js');
  const { embedWithCache } = await dist('src/embeddings/embedding-cache.js');
  const cached = await embedWithCache(knex, createUseLiteEmbedder(), catalogue.map((p) => p.name));
  vectors = catalogue.map((p) => cached.vectors.get(p.name));
} else vectors = await bagOfWordsEmbedder({ dimensions: 512 }).embed(catalogue.map((p) => p.name));
const embedder = { id: 'use-lite', dimensions: 512 };
const categories = await leafCategories(knex);
const overlaps = await overlapLinks(knex);
const companies = categoryCompanies === undefined ? undefined : await categoryCompanies(knex);
await knex.destroy();
const cpu = (f) => {
  const start = process.cpuUsage();
  const result = f();
  const used = process.cpuUsage(start);
  return { result, seconds: (used.user + used.system) / 1e6 };
};

const digest = (pairs) => {
  const hash = createHash('sha256');
  for (const p of pairs) hash.update(`${p.a} ${p.b} ${p.score}\n`);
  return hash.digest('hex').slice(0, 16);
};

for (let pass = 1; pass <= passes; pass++) {
  const lvl3 = cpu(() => {
    const decision = new PairDecision(3, catalogue, embedder);
    const pairs = new PairCollector(3, catalogue);
    for (const [category, members] of productsByCategory(catalogue)) {
      forEachNeighbourInClasses(categoryClasses(members, catalogue), vectors, { dimensions: 512, threshold: decision.minCosine }, (p, q) => firstSharedCategory(p.categories, q.categories) === category, (x, y, cosine) => {
        const probability = decision.probability(x, y, cosine);
        if (probability >= decision.threshold) pairs.add(x, y, probability);
      });
    }
    return pairs.pairs();
  });
  const links = cpu(() => [...matchLinks(categories, catalogue, vectors, 512), ...overlaps]);
  const lvl4 = cpu(() => linkedPairs(catalogue, vectors, links.result, new PairDecision(4, catalogue, embedder, undefined, companies), 512));
  console.log(JSON.stringify({ build: root, pass, products: catalogue.length, lvl3: { cpu: lvl3.seconds, pairs: lvl3.result.length, sha256: digest(lvl3.result) }, lvl4: { cpu: links.seconds + lvl4.seconds, links: links.result.length, linksCpu: links.seconds, pairs: lvl4.result.length, sha256: digest(lvl4.result) }, total: lvl3.seconds + links.seconds + lvl4.seconds }));
}
