import type { Knex } from 'knex';
import type { Migration } from '@trolley/core';

/**
 * The embedding cache and the category links of LVL4.
 * - `embeddings`: one vector per (model id, SHA-256 of the text), float32 little-endian in a bytea.
 *   The model id is part of the key, so vectors (and scores) of two models never mix.
 * - `category_links`: the links of the last `subs links` / LVL4 run, recomputed each run. One row
 *   per category pair and kind (MATCH, CLOSE, DISTANT), `category_a < category_b`; `score` is the
 *   name cosine for MATCH and the Jaccard index of the product sets otherwise; `model_id` says which
 *   embedder scored a MATCH.
 */
export const embeddingsMigration: Migration = {
  name: '0002_embeddings',
  async up(knex: Knex) {
    await knex.schema.createTable('embeddings', (t) => {
      t.text('model_id').notNullable();
      t.text('text_hash').notNullable();
      t.integer('dimensions').notNullable();
      t.binary('vector').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['model_id', 'text_hash']);
    });
    await knex.schema.createTable('category_links', (t) => {
      t.bigInteger('category_a').notNullable().references('id').inTable('categories').onDelete('CASCADE');
      t.bigInteger('category_b').notNullable().references('id').inTable('categories').onDelete('CASCADE');
      t.text('kind').notNullable();
      t.double('score').notNullable();
      t.text('model_id');
      t.primary(['category_a', 'category_b', 'kind']);
      t.index(['category_b']);
    });
    await knex.raw(`alter table category_links add constraint category_links_kind check (kind in ('MATCH', 'CLOSE', 'DISTANT'))`);
    await knex.raw(`alter table category_links add constraint category_links_ordered check (category_a < category_b)`);
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('category_links');
    await knex.schema.dropTable('embeddings');
  },
};

/** The migrations of this half of plugin-subs (the integrator lists `0001_substitutions` beside it). */
export const embeddingMigrations: readonly Migration[] = [embeddingsMigration];
