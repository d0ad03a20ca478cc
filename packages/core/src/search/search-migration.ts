/**
 * Product search: a lower-cased search text per product (its name and its brand's name), kept by
 * a trigger so every writer of products keeps it without knowing of it, and a trigram index on it
 * for typo-tolerant matching; SKUs get an index of their own for a lookup without the company.
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';
import { ensureTrigramExtension } from './trigram.js';

export const searchMigration: Migration = {
  name: '0007_search',
  async up(knex: Knex) {
    const trgm = await ensureTrigramExtension(knex);
    await knex.raw(`alter table products add column search_text text`);
    await knex.raw(`create function products_search_text() returns trigger language plpgsql as $$
      begin
        new.search_text := lower(new.name || coalesce(' ' || (select b.name from brands b where b.id = new.brand_id), ''));
        return new;
      end $$`);
    await knex.raw(`create trigger products_search_text before insert or update of name, brand_id on products for each row execute function products_search_text()`);
    await knex.raw(`update products p set search_text = lower(p.name || coalesce(' ' || (select b.name from brands b where b.id = p.brand_id), ''))`);
    await knex.raw(`create index products_search_trgm on products using gin (search_text ${trgm}.gin_trgm_ops)`);
    await knex.raw(`create index product_skus_sku on product_skus (sku)`);
  },
  async down(knex: Knex) {
    await knex.raw(`drop index product_skus_sku`);
    await knex.raw(`drop trigger products_search_text on products`);
    await knex.raw(`drop function products_search_text()`);
    await knex.raw(`alter table products drop column search_text`);
  },
};
