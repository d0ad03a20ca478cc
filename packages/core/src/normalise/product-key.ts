/**
 * Product keys: the `nnbs` that identifies a product across companies (docs/normalisation.md) and the name key
 * that matches one product in different sizes (docs/substitutions.md, LVL1).
 */
import { asciiWords } from './fold.js';
import { scanSizes } from './size-scan.js';

/**
 * The `nnbs`: the words of name, brand and standardised sizes, folded to ASCII and lower case
 * (a decimal point between digits survives: `1.5l`; a thousands comma vanishes: `1,000g` →
 * `1000g`; any other punctuation separates words),
 * de-duplicated, sorted and joined with single spaces. No length cap.
 */
export function productKey(name: string, brand: string | null | undefined, standardisedSizes: readonly string[]): string {
  const words = asciiWords([name, brand ?? '', ...standardisedSizes].join(' '));
  return [...new Set(words)].sort().join(' ');
}

/**
 * The name key: the name lower-cased with its size expressions (everything `extractSizes`
 * matches, e.g. `500g`, `2 x 500ml`, `8 pack`, a bare `each`) and punctuation removed, accents
 * folded, whitespace collapsed; word order kept. `Short Cut Bacon 500g` → `short cut bacon`.
 * Letters of any script are kept (so a name in Chinese keeps a key); `` means "no key".
 */
export function nameKey(name: string): string {
  return scanSizes(name).rest
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
