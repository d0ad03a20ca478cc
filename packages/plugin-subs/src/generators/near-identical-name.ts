import type { CatalogueProduct, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import { isNearIdenticalTokens, nameTokens } from '../similarity/token-set-ratio.js';

/** LVL2's score (SPEC §5). */
export const NEAR_IDENTICAL_SCORE = 0.95;

/** True when two products of one brand and one size set are LVL2 (SPEC §5): `90 < token_set_ratio < 100`. */
export function isNearIdenticalName(ratio: number): boolean {
  return ratio > 90 && ratio < 100;
}

/**
 * LVL2 (SPEC §5): same brand key, equal non-empty standardised size sets, and
 * `90 < token_set_ratio(name_a, name_b) < 100`, score 0.95. Products are blocked by (brand key,
 * size set): both are required equalities, so the blocking loses no pair (a test compares it with
 * all pairs on the real Aldi catalogue). Products without a brand are not paired.
 */
export const nearIdenticalName: SubstitutionGenerator = {
  id: 'lvl2',
  level: 2,
  generate(catalogue: readonly CatalogueProduct[]): SubstitutionPair[] {
    const blocks = new Map<string, Array<{ id: number; tokens: string[] }>>();
    for (const product of catalogue) {
      if (product.sizes.length === 0 || product.brandKey === '') continue;
      const key = `${product.brandKey}\u0000${sizeSetKey(product)}`;
      const entry = { id: product.id, tokens: nameTokens(product.name) };
      const block = blocks.get(key);
      if (block) block.push(entry);
      else blocks.set(key, [entry]);
    }
    const pairs: SubstitutionPair[] = [];
    for (const block of blocks.values()) {
      for (let i = 0; i < block.length; i++) {
        for (let j = i + 1; j < block.length; j++) {
          const x = block[i]!;
          const y = block[j]!;
          if (!isNearIdenticalTokens(x.tokens, y.tokens)) continue;
          pairs.push({ a: Math.min(x.id, y.id), b: Math.max(x.id, y.id), level: 2, score: NEAR_IDENTICAL_SCORE });
        }
      }
    }
    return pairs;
  },
};

/** The standardised size set as one comparable string (sizes are stored sorted; sorted again to be sure). */
export function sizeSetKey(product: CatalogueProduct): string {
  return [...new Set(product.sizes)].sort().join(' ');
}
