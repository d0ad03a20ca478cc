/**
 * LVL4 (docs/substitutions.md): products of two linked categories (./../categories/category-links.ts: MATCH by what the
 * categories hold, CLOSE / DISTANT by shared products) that share no category, which a shopper
 * would accept for each other; score = the estimated probability (./pair-decision.ts), with the
 * link's strength among its features. Pairs are taken across each link directly, not across
 * whole super-groups: a chain of links (sauces → pasta sauces → pasta) says nothing about its ends.
 * Products of the same kind (the same head noun: `… Chocolate Bar` in `Chocolate Bars` and in
 * `Chocolate Share Packs`) are candidates too wherever they sit, since links between categories that
 * hold a few such products each (a bhuja mix among crackers and among nuts) are too weak to exist.
 * The links are recomputed and stored on each run. A database of one company gets MATCH links
 * between its own categories that hold the same kind of product.
 */
import type { CatalogueProduct, GenerateOptions, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { refreshCategoryLinks, type CategoryLink } from '../categories/category-links.js';
import { superGroups } from '../categories/super-groups.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { forEachSimilarCrossPair, forEachSimilarPair } from '../embeddings/similarity-kernel.js';
import { catalogueFeatures } from '../decision/product-features.js';
import { packRows } from '../embeddings/vectors.js';
import { categoryClasses, firstSharedCategory } from './category-classes.js';
import { PairCollector } from './pair-collector.js';
import { PairDecision } from './pair-decision.js';

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

/**
 * The pairs across every link whose probability reaches the level's threshold. Products are split
 * into category classes (the same whole set of categories, ./category-classes.ts) and each pair of
 * classes that some link joins — and that share no category — is compared once, with the
 * strongest such link: a product sold by several chains sits in one category of each, and its
 * pairs would otherwise be compared once per link between those categories.
 */
export function linkedPairs(catalogue: readonly CatalogueProduct[], vectors: readonly Float32Array[], links: readonly CategoryLink[], decision: PairDecision, dimensions: number): SubstitutionPair[] {
  const classes = categoryClasses(
    catalogue.map((_, index) => index).filter((index) => catalogue[index]!.categoryIds.length > 0),
    catalogue,
  );
  const classesOf = new Map<number, number[]>();
  classes.forEach((c, k) => {
    for (const category of c.categories) {
      const list = classesOf.get(category);
      if (list) list.push(k);
      else classesOf.set(category, [k]);
    }
  });
  const joined = new Map<number, number>();
  for (const link of links) {
    const strength = linkStrength(link);
    for (const p of classesOf.get(link.a) ?? []) {
      for (const q of classesOf.get(link.b) ?? []) {
        if (p === q || firstSharedCategory(classes[p]!.categories, classes[q]!.categories) !== undefined) continue;
        const key = Math.min(p, q) * classes.length + Math.max(p, q);
        joined.set(key, Math.max(joined.get(key) ?? 0, strength));
      }
    }
  }
  const matrices = new Map<number, Float32Array>();
  const matrixOf = (k: number) => {
    let matrix = matrices.get(k);
    if (!matrix) matrices.set(k, (matrix = packRows(classes[k]!.members.map((m) => vectors[m]!), dimensions)));
    return matrix;
  };
  const pairs = new PairCollector(LINKED_CATEGORY_LEVEL, catalogue);
  sameKindPairs(catalogue, vectors, classes, joined, decision, dimensions, pairs);
  for (const [key, strength] of joined) {
    const p = Math.floor(key / classes.length);
    const q = key % classes.length;
    const left = classes[p]!.members;
    const right = classes[q]!.members;
    forEachSimilarCrossPair(matrixOf(p), left.length, matrixOf(q), right.length, dimensions, decision.minCosine, (i, j, cosine) => {
      const probability = decision.probability(left[i]!, right[j]!, cosine, strength);
      if (probability >= decision.threshold) pairs.add(left[i]!, right[j]!, probability);
    });
  }
  return pairs.pairs();
}

/**
 * The pairs of products of the same kind (the same head noun) that no link joins and that share no
 * category, decided without a link (link strength 0): within each head noun's products, the
 * one-set kernel, skipping the pairs of one class, of classes sharing a category, or of classes a
 * link joins (those are decided across the link).
 */
function sameKindPairs(
  catalogue: readonly CatalogueProduct[],
  vectors: readonly Float32Array[],
  classes: ReadonlyArray<{ readonly categories: readonly number[]; readonly members: readonly number[] }>,
  joined: ReadonlyMap<number, number>,
  decision: PairDecision,
  dimensions: number,
  pairs: PairCollector,
): void {
  const { head } = catalogueFeatures(catalogue);
  const classOf = new Int32Array(catalogue.length).fill(-1);
  classes.forEach((c, k) => {
    for (const m of c.members) classOf[m] = k;
  });
  const byHead = new Map<number, number[]>();
  for (let index = 0; index < catalogue.length; index++) {
    if (classOf[index]! < 0 || head[index]! < 0) continue;
    const list = byHead.get(head[index]!);
    if (list) list.push(index);
    else byHead.set(head[index]!, [index]);
  }
  const apart = new Map<number, boolean>();
  for (const members of byHead.values()) {
    if (members.length < 2 || new Set(members.map((m) => classOf[m])).size < 2) continue;
    forEachSimilarPair(
      packRows(
        members.map((m) => vectors[m]!),
        dimensions,
      ),
      members.length,
      dimensions,
      decision.minCosine,
      (i, j, cosine) => {
        const p = classOf[members[i]!]!;
        const q = classOf[members[j]!]!;
        if (p === q) return;
        const key = Math.min(p, q) * classes.length + Math.max(p, q);
        if (joined.has(key)) return;
        let separate = apart.get(key);
        if (separate === undefined) apart.set(key, (separate = firstSharedCategory(classes[p]!.categories, classes[q]!.categories) === undefined));
        if (!separate) return;
        const probability = decision.probability(members[i]!, members[j]!, cosine, 0);
        if (probability >= decision.threshold) pairs.add(members[i]!, members[j]!, probability);
      },
    );
  }
}
