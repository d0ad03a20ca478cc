/**
 * LVL4: products of two linked categories (./../categories/category-links.ts: MATCH by what the
 * categories hold, CLOSE / DISTANT by shared products) that share no category, which a shopper
 * would accept for each other; score = the estimated probability (./pair-decision.ts), with the
 * link's strength among its features. Pairs are taken across each link directly, not across
 * whole super-groups: a chain of links (sauces → pasta sauces → pasta) says nothing about its ends.
 * The links are recomputed and stored on each run. A database of one company gets MATCH links
 * between its own categories that hold the same kind of product.
 */
import type { CatalogueProduct, GenerateOptions, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { refreshCategoryLinks, type CategoryLink } from '../categories/category-links.js';
import { superGroups } from '../categories/super-groups.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { forEachSimilarCrossPair } from '../embeddings/similarity-kernel.js';
import { packRows } from '../embeddings/vectors.js';
import { firstSharedCategory } from './category-classes.js';
import { PairCollector } from './pair-collector.js';
import { PairDecision } from './pair-decision.js';
import { productsByCategory } from './same-category-semantic.js';

export const LINKED_CATEGORY_LEVEL = 4;

/** The strength of a link as the pair model reads it: MATCH its product similarity; a CLOSE or DISTANT link (shared products) counts as the strongest. */
export const linkStrength = (link: CategoryLink): number => (link.kind === 'MATCH' ? link.score : 1);

export function linkedCategoriesSemantic(services: KernelServices): SubstitutionGenerator {
  return {
    id: 'lvl4',
    level: LINKED_CATEGORY_LEVEL,
    async generate(catalogue: readonly CatalogueProduct[], options: GenerateOptions): Promise<SubstitutionPair[]> {
      const embedder = await resolveEmbedder(services, options.embedder);
      const knex = await services.knex();
      const vectors = await productVectors(services, embedder, catalogue);
      const links = await refreshCategoryLinks(knex, embedder, catalogue, vectors);
      const found = linkedPairs(catalogue, vectors, links.links, new PairDecision(LINKED_CATEGORY_LEVEL, catalogue, embedder, services.logger), embedder.dimensions);
      const companies = await knex('categories').countDistinct('company_id as n').first<{ n: number | string }>();
      services.logger.info(
        { generator: 'lvl4', embedder: embedder.id, links: links.counts, superGroups: superGroups(links.links).length, pairs: found.length },
        `lvl4: ${links.links.length.toLocaleString('en-AU')} category link(s) (${Object.entries(links.counts).map(([k, n]) => `${k} ${n}`).join(', ')}) over ${Number(companies?.n ?? 0)} company(ies), ${found.length.toLocaleString('en-AU')} pair(s)`,
      );
      return found;
    },
  };
}

/** The pairs across every link whose probability reaches the level's threshold. */
export function linkedPairs(catalogue: readonly CatalogueProduct[], vectors: readonly Float32Array[], links: readonly CategoryLink[], decision: PairDecision, dimensions: number): SubstitutionPair[] {
  const byCategory = productsByCategory(catalogue);
  const categoriesOf = catalogue.map((p) => [...p.categoryIds].sort((x, y) => x - y));
  const matrices = new Map<number, Float32Array>();
  const matrixOf = (category: number, members: readonly number[]) => {
    let matrix = matrices.get(category);
    if (!matrix) matrices.set(category, (matrix = packRows(members.map((m) => vectors[m]!), dimensions)));
    return matrix;
  };
  const pairs = new PairCollector(LINKED_CATEGORY_LEVEL, catalogue);
  for (const link of links) {
    const left = byCategory.get(link.a);
    const right = byCategory.get(link.b);
    if (!left || !right) continue;
    const strength = linkStrength(link);
    forEachSimilarCrossPair(matrixOf(link.a, left), left.length, matrixOf(link.b, right), right.length, dimensions, decision.minCosine, (i, j, cosine) => {
      const x = left[i]!;
      const y = right[j]!;
      if (firstSharedCategory(categoriesOf[x]!, categoriesOf[y]!) !== undefined) return;
      const probability = decision.probability(x, y, cosine, strength);
      if (probability >= decision.threshold) pairs.add(x, y, probability);
    });
  }
  return pairs.pairs();
}
