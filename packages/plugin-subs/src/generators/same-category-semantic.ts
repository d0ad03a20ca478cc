/**
 * LVL3 (docs/substitutions.md): products sharing a leaf category that a shopper would accept for each other; score = the
 * estimated probability of that (./pair-decision.ts), kept at or above the level's threshold.
 * Candidates come per category from the tiled matrix kernel over the name embeddings, above the
 * lowest cosine that could still reach the threshold; two products sharing several categories
 * are compared once, in the smallest one (./category-classes.ts).
 */
import type { CatalogueProduct, GenerateOptions, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { categoryClasses, firstSharedCategory } from './category-classes.js';
import { PairCollector } from './pair-collector.js';
import { PairDecision } from './pair-decision.js';
import { forEachNeighbourInClasses } from './semantic-neighbours.js';

export const SAME_CATEGORY_LEVEL = 3;

/** Catalogue indexes per leaf category id. */
export function productsByCategory(catalogue: readonly CatalogueProduct[]): Map<number, number[]> {
  const byCategory = new Map<number, number[]>();
  catalogue.forEach((product, index) => {
    for (const category of product.categoryIds) {
      const members = byCategory.get(category);
      if (members) members.push(index);
      else byCategory.set(category, [index]);
    }
  });
  return byCategory;
}

export function sameCategorySemantic(services: KernelServices): SubstitutionGenerator {
  return {
    id: 'lvl3',
    level: SAME_CATEGORY_LEVEL,
    async generate(catalogue: readonly CatalogueProduct[], options: GenerateOptions): Promise<SubstitutionPair[]> {
      const embedder = await resolveEmbedder(services, options.embedder);
      const vectors = await productVectors(services, embedder, catalogue);
      const decision = new PairDecision(SAME_CATEGORY_LEVEL, catalogue, embedder, services.logger);
      const pairs = new PairCollector(SAME_CATEGORY_LEVEL, catalogue);
      const neighbourOptions = { dimensions: embedder.dimensions, threshold: decision.minCosine };
      for (const [category, members] of productsByCategory(catalogue)) {
        forEachNeighbourInClasses(
          categoryClasses(members, catalogue),
          vectors,
          neighbourOptions,
          (p, q) => firstSharedCategory(p.categories, q.categories) === category,
          (x, y, cosine) => {
            const probability = decision.probability(x, y, cosine);
            if (probability >= decision.threshold) pairs.add(x, y, probability);
          },
        );
      }
      const found = pairs.pairs();
      services.logger.info(
        { generator: 'lvl3', embedder: embedder.id, pairs: found.length },
        `lvl3: ${found.length.toLocaleString('en-AU')} same-category pair(s) a shopper accepts with probability ≥ ${decision.threshold} (${embedder.id} cosines from ${decision.minCosine.toFixed(3)})`,
      );
      return found;
    },
  };
}
