import type { CatalogueProduct, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import { blockedPairs, sizeSetKey } from './blocked-pairs.js';

/**
 * LVL1 (docs/substitutions.md): same brand key, same name key, different non-empty standardised size sets, score 1.
 * Products are blocked by (brand key, name key), so only products that can pair are compared.
 */
export const sameProductOtherSize: SubstitutionGenerator = {
  id: 'lvl1',
  level: 1,
  generate(catalogue: readonly CatalogueProduct[]): SubstitutionPair[] {
    return blockedPairs(
      catalogue,
      (p) => (p.sizes.length === 0 || p.brandKey === '' || p.nameKey === '' ? undefined : `${p.brandKey}\u0000${p.nameKey}`),
      (p) => ({ id: p.id, sizes: sizeSetKey(p) }),
      (x, y) => x.sizes !== y.sizes,
      { level: 1, score: 1 },
    );
  },
};
