/**
 * LVL3 (docs/substitutions.md): products sharing a leaf category whose name embeddings have cosine similarity
 * above the embedder's threshold; score = cosine. Nearest neighbours are found per category with
 * the tiled matrix kernel; two products sharing several categories are compared once, in the
 * smallest one (./category-classes.ts).
 */
import type { CatalogueProduct, GenerateOptions, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { categoryClasses, firstSharedCategory } from './category-classes.js';
import { PairCollector } from './pair-collector.js';
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
      const pairs = new PairCollector(SAME_CATEGORY_LEVEL, catalogue);
      for (const [category, members] of productsByCategory(catalogue)) {
        forEachNeighbourInClasses(
          categoryClasses(members, catalogue),
          vectors,
          embedder,
          (p, q) => firstSharedCategory(p.categories, q.categories) === category,
          (x, y, score) => pairs.add(x, y, score),
        );
      }
      const found = pairs.pairs();
      services.logger.info({ generator: 'lvl3', embedder: embedder.id, pairs: found.length }, `lvl3: ${found.length.toLocaleString('en-AU')} same-category pair(s) above ${embedder.threshold} with ${embedder.id}`);
      return found;
    },
  };
}
