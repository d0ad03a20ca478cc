import type { CatalogueProduct, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import { isNearIdenticalTokens, nameTokens } from '../similarity/token-set-ratio.js';
import { blockedPairs, sizeSetKey } from './blocked-pairs.js';

/** LVL2's score (docs/substitutions.md). */
export const NEAR_IDENTICAL_SCORE = 0.95;

/** True when two products of one brand and one size set are LVL2 (docs/substitutions.md): `90 < token_set_ratio < 100`. */
export function isNearIdenticalName(ratio: number): boolean {
  return ratio > 90 && ratio < 100;
}

/**
 * LVL2 (docs/substitutions.md): same brand key, equal non-empty standardised size sets, and
 * `90 < token_set_ratio(name_a, name_b) < 100`, score 0.95. Products are blocked by (brand key,
 * size set): both are required equalities, so the blocking loses no pair (a test compares it with
 * all pairs on the real Aldi catalogue). Products without a brand are not paired.
 */
export const nearIdenticalName: SubstitutionGenerator = {
  id: 'lvl2',
  level: 2,
  generate(catalogue: readonly CatalogueProduct[]): SubstitutionPair[] {
    return blockedPairs(
      catalogue,
      (p) => (p.sizes.length === 0 || p.brandKey === '' ? undefined : `${p.brandKey}\u0000${sizeSetKey(p)}`),
      (p) => ({ id: p.id, tokens: nameTokens(p.name) }),
      (x, y) => isNearIdenticalTokens(x.tokens, y.tokens),
      { level: 2, score: NEAR_IDENTICAL_SCORE },
    );
  },
};

export { sizeSetKey };
