/**
 * The size units of docs/normalisation.md and the words that spell them:
 * g {g, gram, grams}, kg {kg, kilogram(s)}, ml {ml, millilitre(s), milliliter(s)},
 * l {l, litre(s), liter(s)}, pk {pk, pack, packs}, ea {each, ea}.
 */
export type SizeUnit = 'g' | 'kg' | 'ml' | 'l' | 'pk' | 'ea';

const UNIT_WORDS: Readonly<Record<SizeUnit, readonly string[]>> = {
  g: ['g', 'gram', 'grams'],
  kg: ['kg', 'kilogram', 'kilograms'],
  ml: ['ml', 'millilitre', 'millilitres', 'milliliter', 'milliliters'],
  l: ['l', 'litre', 'litres', 'liter', 'liters'],
  pk: ['pk', 'pack', 'packs'],
  ea: ['each', 'ea'],
};

const BY_WORD: ReadonlyMap<string, SizeUnit> = new Map(
  Object.entries(UNIT_WORDS).flatMap(([unit, words]) => words.map((word) => [word, unit as SizeUnit] as const)),
);

/** The unit a lower-case word spells, if any. */
export function sizeUnitOf(word: string): SizeUnit | undefined {
  return BY_WORD.get(word);
}

/** Regex alternation of unit words, longest first so `ml` wins over `l`. */
export function unitPattern(exclude: readonly string[] = []): string {
  return [...BY_WORD.keys()]
    .filter((word) => !exclude.includes(word))
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .join('|');
}
