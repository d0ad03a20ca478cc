/**
 * LVL4 (docs/substitutions.md): categories linked by MATCH / CLOSE / DISTANT form super-groups (connected
 * components); pairs of products within a super-group whose name cosine exceeds the embedder's
 * threshold and that share no category; score = cosine. The links are recomputed and stored on
 * each run.
 */
import type { CatalogueProduct, GenerateOptions, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { refreshCategoryLinks } from '../categories/category-links.js';
import { superGroups } from '../categories/super-groups.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { categoryClasses, firstSharedCategory } from './category-classes.js';
import { PairCollector } from './pair-collector.js';
import { productsByCategory } from './same-category-semantic.js';
import { forEachNeighbourInClasses } from './semantic-neighbours.js';

export const LINKED_CATEGORY_LEVEL = 4;

export function linkedCategoriesSemantic(services: KernelServices): SubstitutionGenerator {
  return {
    id: 'lvl4',
    level: LINKED_CATEGORY_LEVEL,
    async generate(catalogue: readonly CatalogueProduct[], options: GenerateOptions): Promise<SubstitutionPair[]> {
      const embedder = await resolveEmbedder(services, options.embedder);
      const knex = await services.knex();
      const links = await refreshCategoryLinks(knex, embedder, services.progress);
      const groups = superGroups(links.links);
      const byCategory = productsByCategory(catalogue);
      const vectors = groups.length > 0 ? await productVectors(services, embedder, catalogue) : [];
      const pairs = new PairCollector(LINKED_CATEGORY_LEVEL, catalogue);
      for (const group of groups) {
        const members = [...new Set(group.flatMap((category) => byCategory.get(category) ?? []))];
        // Only classes without a common category: products sharing one are never compared.
        forEachNeighbourInClasses(
          categoryClasses(members, catalogue),
          vectors,
          embedder,
          (p, q) => firstSharedCategory(p.categories, q.categories) === undefined,
          (x, y, score) => pairs.add(x, y, score),
        );
      }
      const found = pairs.pairs();
      services.logger.info(
        { generator: 'lvl4', embedder: embedder.id, links: links.counts, superGroups: groups.length, pairs: found.length },
        `lvl4: ${links.links.length.toLocaleString('en-AU')} category link(s) (${Object.entries(links.counts).map(([k, n]) => `${k} ${n}`).join(', ')}), ${groups.length} super-group(s), ${found.length.toLocaleString('en-AU')} pair(s) above ${embedder.threshold} with ${embedder.id}`,
      );
      return found;
    },
  };
}
