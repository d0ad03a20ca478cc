/**
 * Substitutes of products at some stores. The pairs are the substitutions plugin's table
 * (`substitutions`: an unordered pair, its level 1–4, its score); the core reads it when it exists
 * and treats a database without it as one with no substitutes.
 */
import type { Knex } from 'knex';
import type { PricingStoreResolver } from '../extensions/api.js';
import { bigintArray } from '../db/sql-arrays.js';
import { resolvedPrices } from '../prices/resolved.js';

export interface SubstitutePair {
  readonly productId: number;
  readonly substituteId: number;
  /** 1 (same product, other size) to 4 (linked categories); lower is stronger. */
  readonly level: number;
  readonly score: number;
}

export async function hasSubstitutions(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw<{ rows: Array<{ present: boolean }> }>(`select to_regclass('substitutions') is not null as present`);
  return rows[0]?.present === true;
}

/** The substitutes of `productIds` up to `maxLevel`, strongest first (level, then score, then id). */
export async function substitutePairs(knex: Knex, productIds: readonly number[], maxLevel = 4, limitEach?: number): Promise<SubstitutePair[]> {
  if (productIds.length === 0 || !(await hasSubstitutions(knex))) return [];
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select product_id, substitute_id, level, score from (
       select x.product_id, x.substitute_id, x.level, x.score,
              row_number() over (partition by x.product_id order by x.level, x.score desc, x.substitute_id) as n
       from (
         select s.product_a as product_id, s.product_b as substitute_id, s.level, s.score from substitutions s where s.product_a = any(?::bigint[]) and s.level <= ?
         union all
         select s.product_b, s.product_a, s.level, s.score from substitutions s where s.product_b = any(?::bigint[]) and s.level <= ?
       ) x
     ) y where ?::int is null or n <= ?::int
     order by product_id, level, score desc, substitute_id`,
    [bigintArray(productIds), maxLevel, bigintArray(productIds), maxLevel, limitEach ?? null, limitEach ?? null],
  );
  return rows.map((r) => ({ productId: Number(r.product_id), substituteId: Number(r.substitute_id), level: Number(r.level), score: Number(r.score) }));
}

export interface SubstituteAtStores {
  readonly product: { id: number; name: string; brand: string | null; sizes: string[] };
  readonly level: number;
  readonly score: number;
  /** The stores asked about that sell it, cheapest first. */
  readonly prices: Array<{ storeId: number; price: string; unitPrice: string | null; unit: string | null; isOnSpecial: boolean }>;
}

/** The substitutes of a product that at least one of the stores sells, strongest level first. */
export async function substitutesAtStores(knex: Knex, resolver: PricingStoreResolver, productId: number, storeIds: readonly number[], limit: number): Promise<SubstituteAtStores[]> {
  // Read more pairs than asked: some are sold at none of the stores.
  const pairs = await substitutePairs(knex, [productId], 4, limit * 10);
  if (pairs.length === 0 || storeIds.length === 0) return [];
  const ids = pairs.map((p) => p.substituteId);
  const [prices, products] = await Promise.all([
    resolvedPrices(knex, resolver, storeIds, { productIds: ids }),
    knex.raw<{ rows: Array<Record<string, unknown>> }>(`select p.id, p.name, b.name as brand, p.sizes from products p left join brands b on b.id = p.brand_id where p.id = any(?::bigint[])`, [bigintArray(ids)]),
  ]);
  const byProduct = new Map(products.rows.map((r) => [Number(r.id), { id: Number(r.id), name: String(r.name), brand: (r.brand as string | null) ?? null, sizes: r.sizes as string[] }]));
  const result: SubstituteAtStores[] = [];
  for (const pair of pairs) {
    const at = prices.filter((p) => p.productId === pair.substituteId).sort((a, b) => Number(a.price) - Number(b.price) || a.storeId - b.storeId);
    const product = byProduct.get(pair.substituteId);
    if (at.length === 0 || !product) continue;
    result.push({ product, level: pair.level, score: pair.score, prices: at.map((p) => ({ storeId: p.storeId, price: p.price, unitPrice: p.unitPrice, unit: p.unit, isOnSpecial: p.isOnSpecial })) });
    if (result.length === limit) break;
  }
  return result;
}
