/**
 * `substitutions` as a Generator extension, for `trolley pipeline`: `subs generate` with every
 * installed level and the `auto` embedder, stored as a diff (a rerun over an unchanged catalogue
 * embeds nothing and changes no row). Stage 200: after the store groups, before bargains.
 */
import type { DependencyContainer } from 'tsyringe';
import { readCatalogue, type Generator, type KernelTokens } from '@trolley/core';
import { kernelServices } from '../kernel-services.js';
import { SubstitutionStore } from '../storage/substitution-store.js';
import { text } from '../messages.js';
import { runGenerators } from './run-generators.js';

export const SUBSTITUTIONS_STAGE = 200;

export function substitutionsGenerator(container: DependencyContainer, tokens: KernelTokens): Generator {
  return {
    id: 'substitutions',
    summary: 'substitution pairs of every installed level, stored as a diff (subs generate)',
    stage: SUBSTITUTIONS_STAGE,
    async run({ dryRun }) {
      const services = kernelServices(container, tokens);
      const installed = await services.extensions().all('SubstitutionGenerator', container);
      const knex = await services.knex();
      const catalogue = await readCatalogue(knex);
      const generated = await runGenerators(
        installed.map((g) => ({ id: g.entry.id, extension: g.extension })),
        catalogue,
        { embedder: 'auto' },
        services.logger,
      );
      const stored = await new SubstitutionStore(knex).apply(generated.pairs, generated.levels, { dryRun });
      const perLevel = Object.fromEntries(generated.levels.map((level) => [`lvl${level}`, stored.perLevel[`lvl${level}`] ?? 0]));
      return {
        summary: text.pipelineStep(catalogue.length, perLevel, stored),
        counts: { products: catalogue.length, pairs: stored.pairs, ...perLevel },
        changes: stored.inserted + stored.updated + stored.deleted,
      };
    },
  };
}
