import type { Knex } from 'knex';
import type { Migration } from '@trolley/core';

/** Substitution pairs (docs/substitutions.md): one row per unordered pair (`product_a < product_b`), at its strongest level. */
const substitutionsTable: Migration = {
  name: '0001_substitutions',
  async up(knex: Knex) {
    await knex.schema.createTable('substitutions', (t) => {
      t.bigInteger('product_a').notNullable().references('id').inTable('products');
      t.bigInteger('product_b').notNullable().references('id').inTable('products');
      t.smallint('level').notNullable();
      t.double('score').notNullable();
      t.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['product_a', 'product_b']);
      t.index(['product_b']);
    });
    await knex.raw('alter table substitutions add constraint substitutions_ordered check (product_a < product_b)');
    await knex.raw('alter table substitutions add constraint substitutions_score check (score >= 0 and score <= 1)');
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('substitutions');
  },
};

export const subsMigrations: readonly Migration[] = [substitutionsTable];
