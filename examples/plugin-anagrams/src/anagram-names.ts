import type { CatalogueProduct, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';

/** The letters and digits of a name, sorted: `Tea Pot` and `Pot Tea` and `Tape Ot` share `aeoptt`. */
export function letterKey(name: string): string {
  return [...name.toLowerCase().replace(/[^a-z0-9]/g, '')].sort().join('');
}

/**
 * LVL5: products whose names use exactly the same letters, in another order (`Tea Pot` ~ `Pot Tea`),
 * score 0.5. A toy rule, small and real, that shows how a third party adds a generator.
 */
export const anagramNames: SubstitutionGenerator = {
  id: 'lvl5-anagram',
  level: 5,
  generate(catalogue: readonly CatalogueProduct[]): SubstitutionPair[] {
    const byKey = new Map<string, CatalogueProduct[]>();
    for (const product of catalogue) {
      const key = letterKey(product.name);
      if (key.length < 3) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), product]);
    }
    const pairs: SubstitutionPair[] = [];
    for (const group of byKey.values()) {
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          const x = group[i]!;
          const y = group[j]!;
          if (x.name.toLowerCase() === y.name.toLowerCase()) continue;
          pairs.push({ a: Math.min(x.id, y.id), b: Math.max(x.id, y.id), level: 5, score: 0.5 });
        }
      }
    }
    return pairs;
  },
};
