/**
 * The store registry: where each store is (suburb, postcode, coordinates), and Australia's
 * postcodes with their coordinates, so `stores list --near POSTCODE` can sort stores by distance.
 * Stores of the registry are the same rows the import creates (company + store id), so a store
 * known from the national list and later scraped is one store.
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';

export const storeRegistry: Migration = {
  name: '0006_store_registry',
  async up(knex: Knex) {
    await knex.schema.alterTable('stores', (t) => {
      t.text('suburb');
      t.double('latitude');
      t.double('longitude');
    });
    await knex.raw(`alter table stores add constraint stores_coordinates check ((latitude is null) = (longitude is null) and (latitude is null or (latitude between -90 and 90 and longitude between -180 and 180)))`);
    await knex.schema.createTable('postcodes', (t) => {
      t.text('postcode').primary();
      t.text('state').notNullable();
      t.double('latitude').notNullable();
      t.double('longitude').notNullable();
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('postcodes');
    await knex.raw('alter table stores drop constraint stores_coordinates');
    await knex.schema.alterTable('stores', (t) => {
      t.dropColumn('suburb');
      t.dropColumn('latitude');
      t.dropColumn('longitude');
    });
  },
};
