/**
 * Category links for LVL4 (docs/substitutions.md), recomputed on each run and stored in `category_links` as a diff
 * (a rerun over an unchanged catalogue changes no row):
 * - MATCH: two leaf categories (of two companies, or of one) whose products are alike in both
 *   directions (./content-links.ts), score = that similarity;
 * - CLOSE: Jaccard index of the two categories' product sets ≥ 0.80;
 * - DISTANT: Jaccard ≥ 0.60 (and < 0.80).
 * Jaccard is computed set-based in SQL from product_categories, compared exactly in integers
 * (5·shared ≥ 4·union), so 0.8 is not lost to floating point.
 */
import type { Knex } from 'knex';
import { bigintArray, textArray, type CatalogueProduct, type Embedder } from '@trolley/core';
import { scoreOf } from '../generators/pair-collector.js';
import { contentMatchLinks } from './content-links.js';
import { catalogueFeatures } from '../decision/product-features.js';

export const LINK_KINDS = ['MATCH', 'CLOSE', 'DISTANT'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface CategoryLink {
  /** The smaller category id. */
  readonly a: number;
  readonly b: number;
  readonly kind: LinkKind;
  /** Product similarity for MATCH (./content-links.ts), Jaccard for CLOSE and DISTANT. */
  readonly score: number;
}

export interface LeafCategory {
  readonly id: number;
  readonly companyId: number;
  readonly name: string;
}

/** Categories that products are linked to (the leaves), with their company. */
export async function leafCategories(knex: Knex): Promise<LeafCategory[]> {
  const { rows } = await knex.raw<{ rows: Array<{ id: number | string; company_id: number | string; name: string }> }>(`
    select c.id, c.company_id, c.name from categories c
    where exists (select 1 from product_categories pc where pc.category_id = c.id)
    order by c.id`);
  return rows.map((r) => ({ id: Number(r.id), companyId: Number(r.company_id), name: r.name }));
}

/** CLOSE and DISTANT links: category pairs whose product sets overlap with Jaccard ≥ 0.60. */
export async function overlapLinks(knex: Knex): Promise<CategoryLink[]> {
  const { rows } = await knex.raw<{ rows: Array<{ a: number | string; b: number | string; shared: number | string; total: number | string }> }>(`
    with sizes as (select category_id, count(*)::int as n from product_categories group by category_id),
    shared as (
      select x.category_id as a, y.category_id as b, count(*)::int as shared
      from product_categories x
      join product_categories y on y.product_id = x.product_id and x.category_id < y.category_id
      group by x.category_id, y.category_id)
    select s.a, s.b, s.shared, (sa.n + sb.n - s.shared) as total
    from shared s
    join sizes sa on sa.category_id = s.a
    join sizes sb on sb.category_id = s.b
    where 5 * s.shared >= 3 * (sa.n + sb.n - s.shared)
    order by s.a, s.b`);
  return rows.map((r) => {
    const shared = Number(r.shared);
    const total = Number(r.total);
    return { a: Number(r.a), b: Number(r.b), kind: 5 * shared >= 4 * total ? 'CLOSE' : 'DISTANT', score: scoreOf(shared / total) };
  });
}

export interface LinkReport {
  readonly categories: number;
  /** Companies with leaf categories. */
  readonly companies: number;
  readonly links: readonly CategoryLink[];
  readonly counts: Readonly<Record<LinkKind, number>>;
  /** Stored rows deleted or inserted: 0 when the links were already as computed. */
  readonly changed: number;
}

/** MATCH links of the catalogue's leaf categories from its products' name vectors (catalogue order). */
export function matchLinks(categories: readonly LeafCategory[], catalogue: readonly CatalogueProduct[], vectors: readonly Float32Array[], dimensions: number): CategoryLink[] {
  const features = catalogueFeatures(catalogue);
  const byCategory = new Map<number, number[]>(categories.map((c) => [c.id, []]));
  catalogue.forEach((product, index) => {
    for (const category of product.categoryIds) byCategory.get(category)?.push(index);
  });
  return contentMatchLinks(
    categories.map((category) => {
      const members = byCategory.get(category.id)!;
      return { category, vectors: members.map((m) => vectors[m]!), kinds: members.map((m) => ({ head: features.head[m]!, type: features.type[m]! })) };
    }),
    dimensions,
  );
}

/**
 * Computes every link from the catalogue and its name vectors (catalogue order) and brings the
 * stored ones to it in one transaction (a diff: unchanged rows stay).
 */
export async function refreshCategoryLinks(knex: Knex, embedder: Embedder, catalogue: readonly CatalogueProduct[], vectors: readonly Float32Array[]): Promise<LinkReport> {
  const categories = await leafCategories(knex);
  const links = [...matchLinks(categories, catalogue, vectors, embedder.dimensions), ...(await overlapLinks(knex))];
  const wanted = new Map(links.map((l) => [`${l.a}:${l.b}:${l.kind}`, { ...l, modelId: l.kind === 'MATCH' ? embedder.modelId : null }]));
  const changed = await knex.transaction(async (trx) => {
    // Serialise concurrent runs (two pipelines at once): each diffs against what the other committed,
    // instead of both inserting the same new links.
    await trx.raw('lock table category_links in share row exclusive mode');
    const { rows: stored } = await trx.raw<{ rows: Array<{ category_a: number | string; category_b: number | string; kind: LinkKind; score: number | string; model_id: string | null }> }>(
      'select category_a, category_b, kind, score, model_id from category_links',
    );
    const gone: Array<{ a: number; b: number; kind: string }> = [];
    const kept = new Set<string>();
    for (const row of stored) {
      const key = `${row.category_a}:${row.category_b}:${row.kind}`;
      const link = wanted.get(key);
      if (link && link.score === Number(row.score) && link.modelId === row.model_id) kept.add(key);
      else gone.push({ a: Number(row.category_a), b: Number(row.category_b), kind: row.kind });
    }
    if (gone.length > 0) {
      await trx.raw('delete from category_links where (category_a, category_b, kind) in (select * from unnest(?::bigint[], ?::bigint[], ?::text[]))', [
        bigintArray(gone.map((g) => g.a)),
        bigintArray(gone.map((g) => g.b)),
        textArray(gone.map((g) => g.kind)),
      ]);
    }
    const rows = [...wanted].filter(([key]) => !kept.has(key)).map(([, l]) => ({ category_a: l.a, category_b: l.b, kind: l.kind, score: l.score, model_id: l.modelId }));
    for (let start = 0; start < rows.length; start += 1_000) await trx('category_links').insert(rows.slice(start, start + 1_000));
    return gone.length + rows.length;
  });
  const counts = { MATCH: 0, CLOSE: 0, DISTANT: 0 };
  for (const link of links) counts[link.kind]++;
  return { categories: categories.length, companies: new Set(categories.map((c) => c.companyId)).size, links, counts, changed };
}
