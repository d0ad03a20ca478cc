import type { CatalogueProduct, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';

/**
 * LVL1 (SPEC §5): same brand key, same name key, different non-empty standardised size sets, score 1.
 * Products are blocked by (brand key, name key), so only products that can pair are compared.
 */
export const sameProductOtherSize: SubstitutionGenerator = {
  id: 'lvl1',
  level: 1,
  generate(catalogue: readonly CatalogueProduct[]): SubstitutionPair[] {
    const blocks = new Map<string, CatalogueProduct[]>();
    for (const product of catalogue) {
      if (product.sizes.length === 0 || product.brandKey === '' || product.nameKey === '') continue;
      const key = `${product.brandKey}\u0000${product.nameKey}`;
      const block = blocks.get(key);
      if (block) block.push(product);
      else blocks.set(key, [product]);
    }
    const pairs: SubstitutionPair[] = [];
    for (const block of blocks.values()) {
      for (let i = 0; i < block.length; i++) {
        for (let j = i + 1; j < block.length; j++) {
          const x = block[i]!;
          const y = block[j]!;
          if (x.id === y.id || sizeKey(x) === sizeKey(y)) continue;
          pairs.push({ a: Math.min(x.id, y.id), b: Math.max(x.id, y.id), level: 1, score: 1 });
        }
      }
    }
    return pairs;
  },
};

function sizeKey(product: CatalogueProduct): string {
  return [...product.sizes].sort().join(' ');
}
