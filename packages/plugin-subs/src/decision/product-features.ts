/**
 * What the pair decision needs to know about each product, computed once per catalogue so a pair
 * costs a few integer comparisons: the name's content tokens (interned, sorted), its head noun
 * (the last content word before `with` / `in` / …, `Tuna Chunks in Springwater` → `chunk`) and the
 * two words ending there, its product type (./product-types.ts), the kind of its size (mass,
 * volume or neither), its brand, and its attribute-tag signature (./attribute-tags.ts).
 */
import type { CatalogueProduct } from '@trolley/core';
import { attributeTagger, type AttributeTagger } from './attribute-tags.js';
import { readDataFile } from './data-file.js';
import { compileTypes, productType, shippedTypes, type TypeVocabulary } from './product-types.js';

export const enum SizeKind {
  None = 0,
  Mass = 1,
  Volume = 2,
}

export interface ProductFeatures {
  /** Sorted distinct token ids of the name's content words. */
  readonly tokens: Int32Array[];
  /** Token id of the head noun, or -1. */
  readonly head: Int32Array;
  /** Id of the two words ending at the head (`pasta sauce`), or -1. */
  readonly headPhrase: Int32Array;
  /** Index of the product type (`data/product-types.json`), or -1. */
  readonly type: Int32Array;
  readonly sizeKind: Uint8Array;
  /** Grams or millilitres of the product (of its kind, `sizeKind`), 0 when unknown. */
  readonly quantity: Float64Array;
  /** Id of the standardised size set (`2pk 500ml`), -1 without sizes. */
  readonly sizeSet: Int32Array;
  /** Id of the brand key, -1 without a brand. */
  readonly brand: Int32Array;
  /** Id of the attribute-tag signature (0: no tags). */
  readonly tags: Int32Array;
  /**
   * Per token id, 1 when the word names a kind of product in this catalogue: it is the head noun
   * of at least {@link HEAD_LIKE_SHARE} of the names holding it (and of two or more).
   */
  readonly headLike: Uint8Array;
  /** Per token id, 1 for a flavour or variety word (`data/name-words.json` variants). */
  readonly variant: Uint8Array;
  /** Per token id, 1 for a word of how the product is made or sold (`data/name-words.json` forms: evaporated, instant, capsule …). */
  readonly form: Uint8Array;
  /** Per token id, a bit per group of sub-type words (`data/name-words.json` subtypes) the word belongs to. */
  readonly subtype: Uint32Array;
  /**
   * Per product, a bit per group of sub-type words that applies to it: every group that names no
   * product types, and a group scoped to types (`{ "types": [...], "words": [...] }`) when the
   * product is of one of them (`protein` ~ `oat` tells two cereal bars apart, not `Rolled Oats` from anything).
   */
  readonly subtypeScope: Uint32Array;
}

export const HEAD_LIKE_SHARE = 0.4;

interface NameWords {
  readonly connectors: readonly string[];
  readonly ignored: readonly string[];
  readonly variants: readonly string[];
  readonly forms: readonly string[];
  /** Each group: its words, or its words and the product types it is read within. */
  readonly subtypes: Readonly<Record<string, readonly string[] | { readonly types: readonly string[]; readonly words: readonly string[] }>>;
}

let words:
  | { connectors: Set<string>; ignored: Set<string>; variants: Set<string>; forms: Set<string>; subtypes: Map<string, number>; unscoped: number; scopes: Map<string, number> }
  | undefined;
function nameWords() {
  if (!words) {
    const data = readDataFile<NameWords>('name-words.json');
    const groups = Object.values(data.subtypes);
    if (groups.length > 32) throw new Error('name-words.json: at most 32 groups of subtypes');
    const subtypes = new Map<string, number>();
    // Groups read in any name (bits), and per product type the scoped groups read in its names.
    let unscoped = 0;
    const scopes = new Map<string, number>();
    groups.forEach((group, g) => {
      const bit = (1 << g) >>> 0;
      const list = Array.isArray(group) ? group : (group as { words: readonly string[] }).words;
      if (Array.isArray(group)) unscoped |= bit;
      else for (const type of (group as { types: readonly string[] }).types) scopes.set(type, (scopes.get(type) ?? 0) | bit);
      for (const word of list.map(singular)) subtypes.set(word, (subtypes.get(word) ?? 0) | bit);
    });
    words = { connectors: new Set(data.connectors), ignored: new Set(data.ignored), variants: new Set(data.variants.map(singular)), forms: new Set(data.forms.map(singular)), subtypes, unscoped: unscoped >>> 0, scopes };
  }
  return words;
}

/** A word in its singular form, roughly: `berries` → `berry`, `chips` → `chip`, `glass` stays. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ches|shes|sses|xes|oes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Content words of a name key (less its brand's words), and the index where the "what it is" part ends. */
export function contentWords(nameKey: string, brand: string | null = null): { words: string[]; headEnd: number } {
  const { connectors, ignored } = nameWords();
  // The brand's own words say who makes it, not what it is (IGA names start with the brand): they
  // are left out while they lead the name, and read as any word after it, where a brand word names
  // the product (`Tony's Chocolate Milk Chocolate` is a milk chocolate, `Byron Bay Cookies … Cookies`).
  const brandWords = new Set((brand ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const out: string[] = [];
  let headEnd = -1;
  let leading = true;
  for (const raw of nameKey.toLowerCase().split(' ')) {
    if (raw === '' || /^\d/.test(raw)) continue;
    if (connectors.has(raw)) {
      if (headEnd < 0 && out.length > 0) headEnd = out.length;
      leading = false;
      continue;
    }
    if (leading && brandWords.has(raw)) continue;
    if (ignored.has(raw)) continue;
    leading = false;
    out.push(singular(raw));
  }
  return { words: out, headEnd: headEnd < 0 ? out.length : headEnd };
}

let vocabulary: TypeVocabulary | undefined;
/** The shipped product types, their phrases read with the name-word rules. */
function typeVocabulary(): TypeVocabulary {
  return (vocabulary ??= compileTypes(shippedTypes(), (phrase) => contentWords(phrase.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).words));
}

export function sizeKindOf(sizes: readonly string[]): SizeKind {
  for (const size of sizes) {
    if (/^\d+(?:\.\d+)?g$/.test(size)) return SizeKind.Mass;
    if (/^\d+(?:\.\d+)?ml$/.test(size)) return SizeKind.Volume;
  }
  return SizeKind.None;
}

/** The first mass or volume of a standardised size set, in grams or millilitres (0: none). */
export function quantityOf(sizes: readonly string[]): number {
  for (const size of sizes) {
    const m = /^(\d+(?:\.\d+)?)(?:g|ml)$/.exec(size);
    if (m) return Number(m[1]);
  }
  return 0;
}

export function productFeatures(catalogue: readonly CatalogueProduct[], tagger: AttributeTagger = attributeTagger()): ProductFeatures {
  const ids = new Map<string, number>();
  const id = (key: string) => {
    let found = ids.get(key);
    if (found === undefined) ids.set(key, (found = ids.size));
    return found;
  };
  const signatures = new Map<string, number>([['', 0]]);
  const n = catalogue.length;
  const types = typeVocabulary();
  const { variants, unscoped, scopes } = nameWords();
  const typeNames = types.names;
  for (const type of scopes.keys()) if (!typeNames.includes(type)) throw new Error(`name-words.json: a subtype group names ${type}, which is no product type`);
  const scopeOfType = typeNames.map((type) => (unscoped | (scopes.get(type) ?? 0)) >>> 0);
  const features: Omit<ProductFeatures, 'headLike' | 'variant' | 'form' | 'subtype'> = {
    tokens: new Array<Int32Array>(n),
    head: new Int32Array(n),
    headPhrase: new Int32Array(n),
    type: new Int32Array(n),
    sizeKind: new Uint8Array(n),
    quantity: new Float64Array(n),
    sizeSet: new Int32Array(n),
    brand: new Int32Array(n),
    tags: new Int32Array(n),
    subtypeScope: new Uint32Array(n),
  };
  catalogue.forEach((product, i) => {
    const { words: content, headEnd } = contentWords(product.nameKey, product.brand);
    features.tokens[i] = Int32Array.from(new Set(content.map((w) => id(`w:${w}`)))).sort();
    features.head[i] = headEnd > 0 ? id(`w:${content[headEnd - 1]}`) : -1;
    features.headPhrase[i] = headEnd > 1 ? id(`p:${content[headEnd - 2]} ${content[headEnd - 1]}`) : -1;
    features.type[i] = productType(types, content, headEnd, (word) => variants.has(word));
    features.subtypeScope[i] = features.type[i]! >= 0 ? scopeOfType[features.type[i]!]! : unscoped;
    features.sizeKind[i] = sizeKindOf(product.sizes);
    features.quantity[i] = quantityOf(product.sizes);
    features.sizeSet[i] = product.sizes.length === 0 ? -1 : id(`s:${product.sizes.join(' ')}`);
    features.brand[i] = product.brandKey === '' ? -1 : id(`b:${product.brandKey}`);
    const signature = tagger.signature(product);
    let tag = signatures.get(signature);
    if (tag === undefined) signatures.set(signature, (tag = signatures.size));
    features.tags[i] = tag;
  });
  const seen = new Uint32Array(ids.size);
  const heads = new Uint32Array(ids.size);
  for (let i = 0; i < n; i++) {
    for (const t of features.tokens[i]!) seen[t]!++;
    if (features.head[i]! >= 0) heads[features.head[i]!]!++;
  }
  const headLike = new Uint8Array(ids.size);
  for (let t = 0; t < ids.size; t++) headLike[t] = heads[t]! >= 2 && heads[t]! >= HEAD_LIKE_SHARE * seen[t]! ? 1 : 0;
  const variant = new Uint8Array(ids.size);
  const form = new Uint8Array(ids.size);
  const subtype = new Uint32Array(ids.size);
  const { forms, subtypes } = nameWords();
  for (const [key, t] of ids) {
    if (!key.startsWith('w:')) continue;
    if (variants.has(key.slice(2))) variant[t] = 1;
    if (forms.has(key.slice(2))) form[t] = 1;
    subtype[t] = subtypes.get(key.slice(2)) ?? 0;
  }
  return { ...features, headLike, variant, form, subtype };
}

const memo = new WeakMap<readonly CatalogueProduct[], ProductFeatures>();

/** {@link productFeatures} of a catalogue array, computed once per array (LVL3, LVL4 and the links share them). */
export function catalogueFeatures(catalogue: readonly CatalogueProduct[]): ProductFeatures {
  let features = memo.get(catalogue);
  if (!features) memo.set(catalogue, (features = productFeatures(catalogue)));
  return features;
}
