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
import type { Knex } from 'knex';
import type { KernelServices } from '../kernel-services.js';
import { refreshCategoryLinks, type CategoryLink } from '../categories/category-links.js';
import { superGroups } from '../categories/super-groups.js';
import { productVectors } from '../embeddings/product-vectors.js';
import { resolveEmbedder } from '../embeddings/resolve-embedder.js';
import { forEachSimilarCrossPair } from '../embeddings/similarity-kernel.js';
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
      const found = linkedPairs(catalogue, vectors, links.links, new PairDecision(LINKED_CATEGORY_LEVEL, catalogue, embedder, services.logger, await categoryCompanies(knex)), embedder.dimensions);
      const companies = await knex('categories').countDistinct('company_id as n').first<{ n: number | string }>();
      services.logger.info(
        { generator: 'lvl4', embedder: embedder.id, links: links.counts, superGroups: superGroups(links.links).length, pairs: found.length },
        `lvl4: ${links.links.length.toLocaleString('en-AU')} category link(s) (${Object.entries(links.counts).map(([k, n]) => `${k} ${n}`).join(', ')}) over ${Number(companies?.n ?? 0)} company(ies), ${found.length.toLocaleString('en-AU')} pair(s)`,
      );
      return found;
    },
  };
}

/** The company of each category id (the pair model tells a LVL4 pair of one company from a pair of two). */
export async function categoryCompanies(knex: Knex): Promise<Map<number, number>> {
  const rows: Array<{ id: number | string; company_id: number | string }> = await knex('categories').select('id', 'company_id');
  return new Map(rows.map((r) => [Number(r.id), Number(r.company_id)]));
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
 * The pairs of products of the same kind (the same head noun, or the same product type of
 * data/product-types.json) that no link joins and that share no category, decided without a link
 * (link strength 0): each kind's products are split by category class, and two of its classes are
 * compared (the cross kernel) only when they share no category and no link joins them (those pairs
 * are decided across the link), so the pairs a link or a shared category already covers cost
 * nothing here. A pair of the same head noun and type is found twice; the collector keeps it once.
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
  const { head, type } = catalogueFeatures(catalogue);
  // Per kind, its products by class: kind → class → catalogue indexes. Kinds are head-noun ids
  // (≥ 0) and product types (−1 − type), so the two never share a key.
  const byKind = new Map<number, Map<number, number[]>>();
  const addTo = (kind: number, k: number, m: number) => {
    let byClass = byKind.get(kind);
    if (!byClass) byKind.set(kind, (byClass = new Map()));
    const list = byClass.get(k);
    if (list) list.push(m);
    else byClass.set(k, [m]);
  };
  classes.forEach((c, k) => {
    for (const m of c.members) {
      if (head[m]! >= 0) addTo(head[m]!, k, m);
      if (type[m]! >= 0) addTo(-1 - type[m]!, k, m);
    }
  });
  const apart = new Map<number, boolean>();
  for (const byClass of byKind.values()) {
    if (byClass.size < 2) continue;
    const groups = [...byClass];
    const matrices = groups.map(([, members]) => packRows(members.map((m) => vectors[m]!), dimensions));
    for (let g = 0; g < groups.length; g++) {
      for (let h = g + 1; h < groups.length; h++) {
        const [p, left] = groups[g]!;
        const [q, right] = groups[h]!;
        const key = Math.min(p, q) * classes.length + Math.max(p, q);
        if (joined.has(key)) continue;
        let separate = apart.get(key);
        if (separate === undefined) apart.set(key, (separate = firstSharedCategory(classes[p]!.categories, classes[q]!.categories) === undefined));
        if (!separate) continue;
        forEachSimilarCrossPair(matrices[g]!, left.length, matrices[h]!, right.length, dimensions, decision.minCosine, (i, j, cosine) => {
          const probability = decision.probability(left[i]!, right[j]!, cosine, 0);
          if (probability >= decision.threshold) pairs.add(left[i]!, right[j]!, probability);
        });
      }
    }
  }
}
