/**
 * Attribute tags that two substitutes must agree on (dietary variants, baby ages and nappy sizes,
 * pet food against treats, dog against cat, coffee capsule systems). The table is data
 * (`data/attribute-tags.json`); this module compiles it and gives each product a signature, the
 * sorted tag values found on it, so the generators compare one string per pair.
 */
import type { CatalogueProduct } from '@trolley/core';
import { readDataFile } from './data-file.js';

interface TagSpec {
  readonly tag: string;
  readonly patterns?: readonly string[];
  readonly value?: string;
  readonly aliases?: Readonly<Record<string, string>>;
  readonly when?: string;
  readonly unless?: string;
  readonly perItemMass?: ReadonlyArray<{ readonly upTo?: number; readonly value: string }>;
}

interface CompiledTag {
  readonly spec: TagSpec;
  readonly patterns: readonly RegExp[];
  readonly when?: RegExp;
  readonly unless?: RegExp;
}

export interface AttributeTagger {
  /** The tag values on a product, e.g. `['gluten free', 'pet=dog']`, sorted. */
  tags(product: Pick<CatalogueProduct, 'name' | 'sizes'>): string[];
  /** The tags joined into one string: two products may be paired only when theirs are equal. */
  signature(product: Pick<CatalogueProduct, 'name' | 'sizes'>): string;
}

export function compileTagger(specs: readonly TagSpec[]): AttributeTagger {
  const compiled: CompiledTag[] = specs.map((spec) => ({
    spec,
    patterns: (spec.patterns ?? []).map((p) => new RegExp(p, 'iu')),
    when: spec.when === undefined ? undefined : new RegExp(spec.when, 'iu'),
    unless: spec.unless === undefined ? undefined : new RegExp(spec.unless, 'iu'),
  }));
  const tags = (product: Pick<CatalogueProduct, 'name' | 'sizes'>): string[] => {
    const name = product.name.replace(/\s+/g, ' ');
    const found = new Set<string>();
    for (const { spec, patterns, when, unless } of compiled) {
      if ((when && !when.test(name)) || (unless && unless.test(name))) continue;
      for (const pattern of patterns) {
        const match = pattern.exec(name);
        if (!match) continue;
        const raw = spec.value === undefined ? '' : spec.value.replace('$1', (match[1] ?? '').toLowerCase());
        const value = spec.aliases?.[raw] ?? raw;
        found.add(value === '' ? spec.tag : `${spec.tag}=${value}`);
        break;
      }
      if (spec.perItemMass) {
        const grams = perItemGrams(product.sizes);
        if (grams !== undefined) found.add(`${spec.tag}=${spec.perItemMass.find((band) => band.upTo === undefined || grams <= band.upTo)!.value}`);
      }
    }
    return [...found].sort();
  };
  return { tags, signature: (product) => tags(product).join('|') };
}

/** Grams per item from standardised sizes such as `['10pk', '55g']`; undefined without both. */
export function perItemGrams(sizes: readonly string[]): number | undefined {
  let grams: number | undefined;
  let count: number | undefined;
  for (const size of sizes) {
    const mass = /^(\d+(?:\.\d+)?)g$/.exec(size);
    if (mass) grams = Number(mass[1]);
    const pack = /^(\d+)(?:pk|ea)$/.exec(size);
    if (pack) count = Number(pack[1]);
  }
  return grams !== undefined && count !== undefined && count > 0 ? grams / count : undefined;
}

let shared: AttributeTagger | undefined;

/** The tagger of the shipped table. */
export function attributeTagger(): AttributeTagger {
  shared ??= compileTagger(readDataFile<{ tags: TagSpec[] }>('attribute-tags.json').tags);
  return shared;
}
