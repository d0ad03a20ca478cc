/**
 * The core's own schema. Later issues add migrations here (never edit one that shipped).
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';

const companiesAndStores: Migration = {
  name: '0001_companies_stores',
  async up(knex: Knex) {
    await knex.schema.createTable('companies', (t) => {
      t.bigIncrements('id').primary();
      // Canonical lower-case name: company names compare case-insensitively (SPEC §1).
      t.text('name').notNullable().unique();
      t.text('display_name').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw(`alter table companies add constraint companies_name_lower check (name = lower(name))`);
    await knex.schema.createTable('stores', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('company_id').notNullable().references('id').inTable('companies');
      // The company's own store id (`COL:403`, `G467`, `1044`).
      t.text('store_id').notNullable();
      t.text('name');
      t.text('state');
      t.text('postcode');
      t.date('last_scraped_date');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.unique(['company_id', 'store_id']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('stores');
    await knex.schema.dropTable('companies');
  },
};

export const coreMigrations: readonly Migration[] = [companiesAndStores];
