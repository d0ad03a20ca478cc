/** `bargains` as a Generator extension, for the pipeline: the default rule, through the installed resolver. */
import type { DependencyContainer } from 'tsyringe';
import { Tokens, type Database, type ExtensionRegistry, type Generator } from '@trolley/core';
import { bargainRule } from './bargain-rule.js';
import { generateBargains, pricingStores } from './bargains.js';
import { text } from './messages.js';

export function bargainsGenerator(container: DependencyContainer): Generator {
  return {
    id: 'bargains',
    summary: 'bargains over the current prices of pricing stores (max > 1.5 × min)',
    // After the store groups (100) and substitutions (200): bargains read prices through the groups.
    stage: 300,
    async run({ dryRun }) {
      const knex = await container.resolve<Database>(Tokens.Database).knex();
      const stores = await pricingStores(knex, container.resolve<ExtensionRegistry>(Tokens.Extensions), container);
      const report = await generateBargains(knex, stores, bargainRule(), { dryRun });
      return { summary: text.generated(report), counts: { bargains: report.bargains, competingPrices: report.competingPrices, pricingStores: report.pricingStores }, changes: report.inserted + report.deleted };
    },
  };
}
