/**
 * The core's own schema. Later issues add migrations here (never edit one that shipped).
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';
import { catalogueChangesMigration } from '../search/catalogue-changes.js';
import { searchMigration } from '../search/search-migration.js';
import { storeRegistry } from './store-registry-migration.js';
import { patchedDigestsMigration, rawDigestsMigration, storeDigestsMigration, uncompressedDigestsMigration } from '../import/store-digest.js';

const companiesAndStores: Migration = {
  name: '0001_companies_stores',
  async up(knex: Knex) {
    await knex.schema.createTable('companies', (t) => {
      t.bigIncrements('id').primary();
      // Canonical lower-case name: company names compare case-insensitively (docs/input-format.md).
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

/** Brands, products, SKUs, categories, current prices and change-only price history (docs/import.md). */
const catalogueAndPrices: Migration = {
  name: '0002_catalogue_prices',
  async up(knex: Knex) {
    await knex.schema.createTable('brands', (t) => {
      t.bigIncrements('id').primary();
      // Brand key (docs/normalisation.md): `SWEET VINE` and `Sweet Vine` are one brand.
      t.text('key').notNullable().unique();
      t.text('name').notNullable();
    });
    await knex.schema.createTable('brand_spellings', (t) => {
      t.bigInteger('brand_id').notNullable().references('id').inTable('brands').onDelete('CASCADE');
      t.text('spelling').notNullable();
      t.primary(['brand_id', 'spelling']);
    });
    await knex.schema.createTable('products', (t) => {
      t.bigIncrements('id').primary();
      // Product key (docs/normalisation.md, "nnbs"): name + brand + standardised sizes, words sorted.
      t.text('nnbs').notNullable().unique();
      t.text('barcode');
      t.text('name').notNullable();
      t.bigInteger('brand_id').references('id').inTable('brands');
      t.specificType('sizes', 'text[]').notNullable().defaultTo('{}');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
    await knex.raw('create unique index products_barcode_unique on products (barcode) where barcode is not null');
    await knex.schema.createTable('product_names', (t) => {
      t.bigInteger('product_id').notNullable().references('id').inTable('products').onDelete('CASCADE');
      t.text('name').notNullable();
      t.text('brand').notNullable().defaultTo('');
      t.primary(['product_id', 'name', 'brand']);
    });
    await knex.schema.createTable('product_skus', (t) => {
      t.bigInteger('company_id').notNullable().references('id').inTable('companies');
      t.text('sku').notNullable();
      t.bigInteger('product_id').notNullable().references('id').inTable('products').onDelete('CASCADE');
      t.primary(['company_id', 'sku']);
      t.index(['product_id']);
    });
    await knex.schema.createTable('categories', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('company_id').notNullable().references('id').inTable('companies');
      t.bigInteger('parent_id').references('id').inTable('categories');
      t.text('name').notNullable();
      // The full path, root first, joined with ' > ': unique per company.
      t.text('path').notNullable();
      t.integer('depth').notNullable();
      t.unique(['company_id', 'path']);
    });
    await knex.schema.createTable('product_categories', (t) => {
      t.bigInteger('product_id').notNullable().references('id').inTable('products').onDelete('CASCADE');
      t.bigInteger('company_id').notNullable().references('id').inTable('companies');
      // The leaf category of the product at that company.
      t.bigInteger('category_id').notNullable().references('id').inTable('categories');
      t.primary(['product_id', 'company_id']);
      t.index(['category_id']);
    });
    await knex.schema.createTable('prices', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('store_id').notNullable().references('id').inTable('stores');
      t.bigInteger('product_id').notNullable().references('id').inTable('products');
      t.decimal('price', 10, 2).notNullable();
      t.decimal('was_price', 10, 2);
      t.boolean('is_on_special').notNullable().defaultTo(false);
      t.decimal('unit_price', 14, 4);
      t.text('unit');
      t.boolean('is_available');
      t.date('scraped_date').notNullable();
      t.unique(['store_id', 'product_id']);
      t.index(['product_id']);
      t.index(['scraped_date']);
    });
    await knex.schema.createTable('price_history', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('store_id').notNullable().references('id').inTable('stores');
      t.bigInteger('product_id').notNullable().references('id').inTable('products');
      t.decimal('price', 10, 2).notNullable();
      t.decimal('was_price', 10, 2);
      t.boolean('is_on_special').notNullable();
      t.date('scraped_date').notNullable();
      t.index(['store_id', 'product_id', 'scraped_date']);
    });
  },
  async down(knex: Knex) {
    for (const table of ['price_history', 'prices', 'product_categories', 'categories', 'product_skus', 'product_names', 'products', 'brand_spellings', 'brands']) {
      await knex.schema.dropTable(table);
    }
  },
};

/**
 * The two largest tables made cheaper to write, measured on the machine of
 * bench/results/import.json:
 * - no foreign keys: the checks doubled the cost of a price row (a 1,000,000-row insert into
 *   `prices` took 15.3 s with them, 7.5 s without). The importer is the only writer of both tables
 *   and resolves the store and every product in the same transaction as the rows it writes;
 *   stores and products are never deleted.
 * - history keyed by (store, product, scraped date), one index instead of a surrogate id and a
 *   second index: a store imports each date once (later files only), so the key is unique.
 */
const leanerPriceTables: Migration = {
  name: '0003_leaner_price_tables',
  async up(knex: Knex) {
    for (const table of ['prices', 'price_history']) {
      await knex.schema.alterTable(table, (t) => {
        t.dropForeign(['store_id']);
        t.dropForeign(['product_id']);
      });
    }
    await knex.schema.alterTable('price_history', (t) => {
      t.dropIndex(['store_id', 'product_id', 'scraped_date']);
      t.dropColumn('id');
      t.primary(['store_id', 'product_id', 'scraped_date']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.alterTable('price_history', (t) => {
      t.dropPrimary();
      t.bigIncrements('id').primary();
      t.index(['store_id', 'product_id', 'scraped_date']);
    });
    for (const table of ['prices', 'price_history']) {
      await knex.schema.alterTable(table, (t) => {
        t.foreign('store_id').references('id').inTable('stores');
        t.foreign('product_id').references('id').inTable('products');
      });
    }
  },
};

/**
 * The files each store's imports came from (store, scraped date, size, records): an import that
 * meets a file already imported recognises it from its first line and size, and skips it as stale
 * without reading it again (an inbox keeps every day's files, and reading them costs more than the
 * day's import).
 */
const importedFiles: Migration = {
  name: '0004_imported_files',
  async up(knex: Knex) {
    await knex.schema.createTable('imported_files', (t) => {
      t.bigInteger('store_id').notNullable().references('id').inTable('stores');
      t.date('scraped_date').notNullable();
      t.text('file_name').notNullable();
      t.bigInteger('bytes').notNullable();
      t.integer('records').notNullable();
      t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['store_id', 'scraped_date']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('imported_files');
  },
};

/**
 * Shared price rows (stores of one group read their anchor's rows instead of holding copies):
 * - `price_sharing`: a store reads, besides its own rows, the rows of `source_store_id` for the
 *   products it has no row of its own for, as scraped on `scraped_date` (its own scrape's date);
 * - `price_exclusions`: products the source prices that the sharing store did not list, so it must
 *   not read them. Both cost rows in proportion to how the store differs from its source.
 */
const groupStorage: Migration = {
  name: '0005_group_storage',
  async up(knex: Knex) {
    await knex.schema.createTable('price_sharing', (t) => {
      t.bigInteger('store_id').primary();
      t.bigInteger('source_store_id').notNullable();
      t.date('scraped_date').notNullable();
      t.index(['source_store_id']);
    });
    await knex.schema.createTable('price_exclusions', (t) => {
      t.bigInteger('store_id').notNullable();
      t.bigInteger('product_id').notNullable();
      t.primary(['store_id', 'product_id']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('price_exclusions');
    await knex.schema.dropTable('price_sharing');
  },
};

/**
 * The date of each store's last full sync: a full-sync import no longer rewrites the rows whose
 * values did not change, so a store's own row reads as scraped on the later of its own date (when
 * its values were last written) and this date (docs/import.md, "Rows written").
 */
const fullScrapeDates: Migration = {
  name: '0008_full_scrape_dates',
  async up(knex: Knex) {
    await knex.schema.alterTable('stores', (t) => {
      t.date('full_scraped_date');
    });
  },
  async down(knex: Knex) {
    await knex.schema.alterTable('stores', (t) => {
      t.dropColumn('full_scraped_date');
    });
  },
};

/**
 * Price history kept once per group (docs/groups.md, "Price history"):
 * - `history_periods`: while a store shares a source's price rows, its history reads the source's
 *   history rows dated after `from_date` and up to `to_date` (open while it shares), on the dates
 *   the store itself was scraped;
 * - `price_history_skips`: a source's change on such a date that the store did not show (its price
 *   stayed, or it did not list the product), so it must not read it.
 * A store's own history rows come first on any date. Existing sharing stores start a period at
 * their share date.
 */
const sharedHistory: Migration = {
  name: '0009_shared_history',
  async up(knex: Knex) {
    await knex.schema.createTable('history_periods', (t) => {
      t.bigInteger('store_id').notNullable();
      t.bigInteger('source_store_id').notNullable();
      t.date('from_date').notNullable();
      t.date('to_date');
      t.primary(['store_id', 'from_date']);
      t.index(['source_store_id']);
    });
    await knex.schema.createTable('price_history_skips', (t) => {
      t.bigInteger('store_id').notNullable();
      t.bigInteger('product_id').notNullable();
      t.date('scraped_date').notNullable();
      t.primary(['store_id', 'product_id', 'scraped_date']);
    });
    await knex.raw(`insert into history_periods (store_id, source_store_id, from_date) select store_id, source_store_id, scraped_date from price_sharing`);
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('price_history_skips');
    await knex.schema.dropTable('history_periods');
  },
};

export const coreMigrations: readonly Migration[] = [companiesAndStores, catalogueAndPrices, leanerPriceTables, importedFiles, groupStorage, storeRegistry, searchMigration, fullScrapeDates, sharedHistory, catalogueChangesMigration, storeDigestsMigration, rawDigestsMigration, uncompressedDigestsMigration, patchedDigestsMigration];
