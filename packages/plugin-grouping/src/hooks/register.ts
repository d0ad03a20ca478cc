/**
 * What the grouping plugin adds to the kernel: its migrations, the retention policies, the `groups`
 * pricing-store resolver, the `group` breakdown of `prices count` and the `groups` generator that
 * `trolley pipeline` runs. The commands (`groups init`,
 * `groups maintain`, `groups show`, `stores next`) are found by oclif.
 */
import type { Knex } from 'knex';
import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const apiVersion = kernel.apiVersion;
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Migrations',
      id: 'grouping',
      apiVersion,
      summary: 'store groups, memberships, remembered non-matches, scrape queue',
      create: async () => ({ migrations: (await import('../migrations.js')).groupingMigrations }),
    },
    {
      kind: 'RetentionPolicy',
      id: 'lossless',
      apiVersion,
      summary: "delete only member rows identical to the anchor's (default)",
      create: async () => (await import('../retention-policies.js')).losslessPolicy,
    },
    {
      kind: 'RetentionPolicy',
      id: 'aggressive',
      apiVersion,
      summary: 'delete every member row: members read the anchor',
      create: async () => (await import('../retention-policies.js')).aggressivePolicy,
    },
    {
      kind: 'RetentionPolicy',
      id: 'keep',
      apiVersion,
      summary: 'delete nothing: members keep every price row',
      create: async () => (await import('../retention-policies.js')).keepPolicy,
    },
    {
      kind: 'PricingStoreResolver',
      id: 'groups',
      apiVersion,
      summary: "members read their anchor's prices; never-scraped stores their company's largest group's",
      create: async (container) => {
        const { GroupsResolver } = await import('../groups-resolver.js');
        return new GroupsResolver(() => container.resolve<{ knex(): Promise<Knex> }>(kernel.tokens.Database).knex());
      },
    },
    {
      kind: 'ScrapeQueue',
      id: 'groups',
      apiVersion,
      summary: 'stores to scrape next, claimed by `scrape run` workers through the database',
      create: async (container) => new (await import('../scrape-queue.js')).StoreClaims(() => container.resolve<{ knex(): Promise<Knex> }>(kernel.tokens.Database).knex()),
    },
    {
      kind: 'Generator',
      id: 'groups',
      apiVersion,
      summary: 'store groups: health check, merges and price retention (pipeline stage 100)',
      create: async (container) => (await import('../generator.js')).groupsGenerator(container),
    },
    {
      kind: 'PriceCountBreakdown',
      id: 'group',
      apiVersion,
      summary: 'price rows per store group (prices count --by group)',
      create: async () => (await import('../group-summary.js')).groupBreakdown,
    },
  ];
  return declarations;
};

export default register;
