import type { Knex } from 'knex';
import type { Migration } from '@trolley/core';

/**
 * The bargains table: at most one bargain per product, credited to its cheapest store (docs/bargains.md).
 * (The foreign key to products arrives with the products table, in a later migration.)
 */
const bargainsTable: Migration = {
  name: '0001_bargains',
  async up(knex: Knex) {
    await knex.schema.createTable('bargains', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('product_id').notNullable().unique();
      t.bigInteger('store_id').notNullable().references('id').inTable('stores');
      t.decimal('min_price', 10, 2).notNullable();
      t.decimal('max_price', 10, 2).notNullable();
      t.integer('price_count').notNullable();
      t.integer('company_count').notNullable();
      t.timestamp('generated_at', { useTz: true }).notNullable();
      t.index(['store_id']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('bargains');
  },
};

/** The product a bargain names must exist; the date of the cheapest price is kept beside it. */
const bargainsProducts: Migration = {
  name: '0002_bargains_products',
  async up(knex: Knex) {
    await knex.schema.alterTable('bargains', (t) => {
      t.foreign('product_id').references('id').inTable('products');
      t.bigInteger('max_store_id').references('id').inTable('stores');
      t.date('scraped_date');
    });
  },
  async down(knex: Knex) {
    await knex.schema.alterTable('bargains', (t) => {
      t.dropForeign(['product_id']);
      t.dropColumn('max_store_id');
      t.dropColumn('scraped_date');
    });
  },
};

export const bargainsMigrations: readonly Migration[] = [bargainsTable, bargainsProducts];
