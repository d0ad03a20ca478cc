/**
 * Product keys: the `nnbs` that identifies a product across companies (docs/normalisation.md) and the name key
 * that matches one product in different sizes (docs/substitutions.md, LVL1).
 */
import { asciiWords, foldText } from './fold.js';
import { scanSizes } from './size-scan.js';

/**
 * The `nnbs`: the words of name, brand and standardised sizes, folded to ASCII and lower case
 * (a decimal point between digits survives: `1.5l`; a thousands comma vanishes: `1,000g` →
 * `1000g`; any other punctuation separates words),
 * de-duplicated, sorted and joined with single spaces. No length cap. A name whose words (sizes
 * aside) have no ASCII letter keeps the letters of any script that folding cannot reduce. Never empty when `sku` is given:
 * a text without any letter or digit falls back to `#<company> <sku>`.
 */
export function productKey(name: string, brand: string | null | undefined, standardisedSizes: readonly string[], sku?: { company: string; sku: string }): string {
  const text = [name, brand ?? '', ...standardisedSizes].join(' ');
  // A name whose words (sizes aside) have no ASCII letter, but letters ASCII folding would drop
  // (香蕉 1kg), keeps them: 香蕉 1kg and 苹果 1kg are two products, never one.
  const words = !/[a-z]/.test(asciiWords(scanSizes(name).rest).join(' ')) && LOST_IN_ASCII.test(foldText(name)) ? unicodeWords(text) : asciiWords(text);
  const key = [...new Set(words)].sort().join(' ');
  // A name of punctuation alone (`!!!`) has no words: the company's SKU names the product.
  return key !== '' || sku === undefined ? key : `#${sku.company} ${sku.sku}`;
}

/** A letter or digit left after folding that is not ASCII. */
const LOST_IN_ASCII = /[^\P{L}a-z]|[^\P{N}0-9]/u;

/** Like {@link asciiWords}, but letters and digits of every script are kept. */
function unicodeWords(text: string): string[] {
  return foldText(text)
    .replace(/(?<=\d),(?=\d{3}(?!\d))/g, '')
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .split(' ')
    .filter((word) => word !== '');
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
