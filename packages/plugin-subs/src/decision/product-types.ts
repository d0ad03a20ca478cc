/**
 * The kind of product a name says it is (`data/product-types.json`): `Beef Scotch Fillet Steak` and
 * `Beef Porterhouse Steak` are both steaks, `Sweet Soy Sauce` and `Kikkoman Soy Sauce Tamari` both
 * soy sauce, `Pasta Sauce` and `Soy Sauce` two different kinds. The table lists, per type,
 * phrases of one to three words, read through the same word rules as names (./product-features.ts
 * contentWords: lower case, singular, size and filler words left out).
 *
 * A name's type is that of the phrase ending last within the part of the name that says what the
 * product is (before `with`, `in` …), the longer one when two end on the same word, or else of the
 * phrase ending last after it. A weak phrase — one word that is a flavour or variety, or of a
 * `weakTypes` type (`Canned Soup Creamy Tomato`, `Creamy Mushroom with Thyme Soup`, `Raspberry
 * Almond Chocolate`) — counts only when no other phrase matches. A phrase of a `flavourTypes` type
 * (sauces, cheese, cream, oil … that also name a flavour or filling: `Chicken Breast Tenders Sweet
 * Chilli`, `Potato Chips Sour Cream & Onion`, `Olives Parmesan Stuffed`) yields to another
 * type's phrase in the same part of the name, and after the head part to a weak one within it too (`Salmon in Olive
 * Oil` is salmon). So the order is: another type's phrase in the head part, a flavour type's in
 * the head part, another type's after it, a weak phrase in the head part, a flavour type's after
 * it, a weak phrase after it; within one rank the phrase ending last, then the longer. A phrase
 * inside a longer phrase found in the same words is not read on its own (`olive` in `olive oil`,
 * `flake` in `chilli flake`). A phrase listed in `weakPhrases` is weak whatever its type and length:
 * a pack form or flavour that also names a product (`block`: `Cream Cheese Block` is cream cheese;
 * `vanilla bean`: `Vanilla Bean Yogurt` is yoghurt, and `bean` inside it is not read; `dark roast`:
 * `Dark Roast Smooth Peanut Butter` is peanut butter; `cluster`: `Red Grapes Cluster` is grapes),
 * typing a name only when nothing else does, not even a weak phrase.
 * -1: no type.
 */
import { readDataFile } from './data-file.js';

export interface ProductTypesFile {
  /** Types whose one-word phrases are weak (they name flavours more often than products). */
  readonly weakTypes?: readonly string[];
  /** Types whose phrases also name a flavour or filling of another product (`sweet chilli`, `sour cream`): they yield to another type's phrase. */
  readonly flavourTypes?: readonly string[];
  /** Phrases (each listed under a type) that are weak whatever their type: pack forms and flavours that also name a product (`block`, `vanilla bean`). */
  readonly weakPhrases?: readonly string[];
  readonly types: Readonly<Record<string, readonly string[]>>;
}

export interface TypeVocabulary {
  readonly names: readonly string[];
  /** Phrases by first word: the phrase's words, its type index, and whether it is weak by its type. */
  readonly byFirstWord: ReadonlyMap<string, ReadonlyArray<{ readonly words: readonly string[]; readonly type: number; readonly weak: boolean; readonly flavour: boolean; readonly listedWeak: boolean }>>;
}

/**
 * Compiles a table of types (name → phrases); `normalise` turns a phrase into the words a name
 * would hold for it (the name-word rules), so phrases and names are compared alike.
 */
export function compileTypes({ types, weakTypes = [], flavourTypes = [], weakPhrases = [] }: ProductTypesFile, normalise: (phrase: string) => string[]): TypeVocabulary {
  const names = Object.keys(types);
  for (const weak of weakTypes) if (!(weak in types)) throw new Error(`product-types.json: weak type "${weak}" is not a type`);
  for (const flavour of flavourTypes) if (!(flavour in types)) throw new Error(`product-types.json: flavour type "${flavour}" is not a type`);
  const byFirstWord = new Map<string, Array<{ words: string[]; type: number; weak: boolean; flavour: boolean; listedWeak: boolean }>>();
  const seen = new Map<string, string>();
  const weakKeys = new Set(weakPhrases.map((phrase) => normalise(phrase).join(' ')));
  for (const phrase of weakPhrases) if (!names.some((name) => types[name]!.includes(phrase))) throw new Error(`product-types.json: weak phrase "${phrase}" is listed under no type`);
  names.forEach((name, type) => {
    for (const phrase of types[name]!) {
      const words = normalise(phrase);
      if (words.length === 0) throw new Error(`product-types.json: "${phrase}" (${name}) has no content word`);
      const key = words.join(' ');
      if (seen.has(key) && seen.get(key) !== name) throw new Error(`product-types.json: "${phrase}" is under both ${seen.get(key)} and ${name}`);
      seen.set(key, name);
      const list = byFirstWord.get(words[0]!) ?? [];
      list.push({ words, type, weak: words.length === 1 && weakTypes.includes(name), flavour: flavourTypes.includes(name), listedWeak: weakKeys.has(key) });
      byFirstWord.set(words[0]!, list);
    }
  });
  return { names, byFirstWord };
}

/** The type index of a name's content words (`headEnd`: where the "what it is" part ends), or -1. */
export function productType(vocabulary: TypeVocabulary, words: readonly string[], headEnd: number, isVariant: (word: string) => boolean): number {
  // Every phrase found: [start, end, rank, type]; rank 5 a phrase within the head part, 4 a flavour
  // type's phrase within it, 3 a phrase after it, 2 a weak phrase within it, 1 a flavour type's
  // after it, 0 a weak one after it; a `weakPhrases` phrase ranks just below a weak one (1.5 within
  // the head part, -0.5 after it), so `Red Grapes Cluster` is grapes.
  const found: Array<[number, number, number, number]> = [];
  for (let i = 0; i < words.length; i++) {
    for (const phrase of vocabulary.byFirstWord.get(words[i]!) ?? []) {
      const end = i + phrase.words.length;
      if (end > words.length || !phrase.words.every((w, k) => words[i + k] === w)) continue;
      const weak = phrase.weak || (phrase.words.length === 1 && isVariant(phrase.words[0]!));
      const inHead = end <= headEnd;
      found.push([i, end, phrase.listedWeak ? (inHead ? 1.5 : -0.5) : weak ? (inHead ? 2 : 0) : phrase.flavour ? (inHead ? 4 : 1) : inHead ? 5 : 3, phrase.type]);
    }
  }
  // A phrase inside a longer one found in the same words is not read on its own (`olive` in `olive oil`).
  const inside = (a: (typeof found)[number]) => found.some((b) => b !== a && b[0] <= a[0] && a[1] <= b[1] && b[1] - b[0] > a[1] - a[0]);
  // The best: the highest rank, then the phrase ending last, then the longer.
  let best: [number, number, number, number] = [-1, -1, -Infinity, -1];
  for (const f of found) {
    if (inside(f)) continue;
    if (f[2] > best[2] || (f[2] === best[2] && (f[1] > best[1] || (f[1] === best[1] && f[1] - f[0] > best[1] - best[0])))) best = f;
  }
  return best[3];
}

let shipped: ProductTypesFile | undefined;
/** The shipped table (`data/product-types.json`). */
export function shippedTypes(): ProductTypesFile {
  return (shipped ??= readDataFile<ProductTypesFile>('product-types.json'));
}
