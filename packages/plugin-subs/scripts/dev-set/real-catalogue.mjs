// The real catalogues as the generators see them, with category names and companies, and use-lite
// name vectors through the embedding cache: shared by the dev-set scripts (sampling, evaluation).
// Needs a database holding the imported catalogues: DATABASE_URL (+ TROLLEY_DATABASE_SCHEMA).
import knexFactory from 'knex';

const dist = (p) => new URL(`../../dist/src/${p}`, import.meta.url).href;
const core = (p) => new URL(`../../../core/dist/src/${p}`, import.meta.url).href;

export async function openCatalogue() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL (and TROLLEY_DATABASE_SCHEMA) to the database holding the imported real catalogues.');
  const knex = knexFactory({ client: 'pg', connection: url, searchPath: [process.env.TROLLEY_DATABASE_SCHEMA ?? 'public'] });
  const { readCatalogue } = await import(core('catalogue/read-catalogue.js'));
  const catalogue = await readCatalogue(knex);
  const { rows } = await knex.raw('select c.id, c.name, co.name as company from categories c join companies co on co.id = c.company_id');
  const categories = new Map(rows.map((r) => [Number(r.id), { name: r.name, company: r.company }]));
  return { knex, catalogue, categories };
}

export async function useLiteVectors(knex, catalogue) {
  const { createUseLiteEmbedder } = await import(dist('embeddings/use-lite-embedder.js'));
  const { embedWithCache } = await import(dist('embeddings/embedding-cache.js'));
  const embedder = createUseLiteEmbedder();
  const { vectors } = await embedWithCache(knex, embedder, catalogue.map((p) => p.name));
  return { embedder, vectors: catalogue.map((p) => vectors.get(p.name)) };
}

/** Deterministic PRNG (mulberry32), the one the chaos tests use. */
export { seededRandom as random } from '@trolley/core/testing';
