import type { Knex } from 'knex';
import type { Migration } from '@trolley/core';

/**
 * Store groups (docs/groups.md): every store in exactly one group, each group with one anchor; remembered
 * non-matches between groups; the re-scrape flag and scrape-queue bookkeeping per store.
 */
const storeGroups: Migration = {
  name: '0001_store_groups',
  async up(knex: Knex) {
    await knex.schema.createTable('store_groups', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('company_id').notNullable().references('id').inTable('companies');
      // The group's source of truth; never ejected. A group ends only by merging into another.
      t.bigInteger('anchor_store_id').notNullable().unique().references('id').inTable('stores');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['company_id']);
    });
    await knex.schema.createTable('store_group_members', (t) => {
      // One group per store: the anchor is a member of its own group.
      t.bigInteger('store_id').primary().references('id').inTable('stores');
      t.bigInteger('group_id').notNullable().references('id').inTable('store_groups');
      // The member's last_scraped_date when it was last judged against its anchor (health check or
      // merge): a member is judged again only after a newer scrape.
      t.date('checked_scrape');
      t.timestamp('joined_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['group_id']);
    });
    await knex.schema.createTable('store_group_non_matches', (t) => {
      // The pair is ordered: group_a < group_b.
      t.bigInteger('group_a').notNullable().references('id').inTable('store_groups').onDelete('CASCADE');
      t.bigInteger('group_b').notNullable().references('id').inTable('store_groups').onDelete('CASCADE');
      // The anchors' last_scraped_date when compared: a newer scrape of either voids the memory.
      t.date('anchor_a_scrape');
      t.date('anchor_b_scrape');
      t.timestamp('compared_at', { useTz: true }).notNullable();
      t.integer('overlap').notNullable();
      t.integer('equal').notNullable();
      t.primary(['group_a', 'group_b']);
      t.index(['group_b']);
    });
    await knex.raw('alter table store_group_non_matches add constraint store_group_non_matches_ordered check (group_a < group_b)');
    await knex.schema.createTable('store_scrape_queue', (t) => {
      t.bigInteger('store_id').primary().references('id').inTable('stores');
      // Set when a health check found a member diverging from this stale anchor.
      t.timestamp('rescrape_flagged_at', { useTz: true });
      // The anchor's last_scraped_date when flagged: a newer scrape settles the flag.
      t.date('rescrape_scrape');
      t.text('rescrape_reason');
      // `stores next` hands a store to one worker for 4 hours.
      t.timestamp('handed_out_at', { useTz: true });
      t.text('handed_out_to');
    });
  },
  async down(knex: Knex) {
    for (const table of ['store_scrape_queue', 'store_group_non_matches', 'store_group_members', 'store_groups']) await knex.schema.dropTable(table);
  },
};

export const groupingMigrations: readonly Migration[] = [storeGroups];
