import type { CatalogueProduct, SubstitutionPair } from '@trolley/core';

/**
 * The pairs of a blocked generator: products are grouped by `blockOf` (undefined leaves a product
 * out), and only products of one block are compared — blocks must be required equalities of the
 * rule, so no pair is lost. `pairs(x, y)` says whether two products of a block pair.
 */
export function blockedPairs<T extends { readonly id: number }>(
  catalogue: readonly CatalogueProduct[],
  blockOf: (product: CatalogueProduct) => string | undefined,
  entryOf: (product: CatalogueProduct) => T,
  pairs: (x: T, y: T) => boolean,
  pair: { readonly level: number; readonly score: number },
): SubstitutionPair[] {
  const blocks = new Map<string, T[]>();
  for (const product of catalogue) {
    const key = blockOf(product);
    if (key === undefined) continue;
    const block = blocks.get(key);
    if (block) block.push(entryOf(product));
    else blocks.set(key, [entryOf(product)]);
  }
  const found: SubstitutionPair[] = [];
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const x = block[i]!;
        const y = block[j]!;
        if (x.id !== y.id && pairs(x, y)) found.push({ a: Math.min(x.id, y.id), b: Math.max(x.id, y.id), ...pair });
      }
    }
  }
  return found;
}

/** The standardised size set as one comparable string (sizes are stored sorted; sorted again to be sure). */
export function sizeSetKey(product: CatalogueProduct): string {
  return [...new Set(product.sizes)].sort().join(' ');
}
