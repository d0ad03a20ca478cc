/**
 * The size scanner behind `extractSizes` and `nameKey`: finds the size expressions of docs/normalisation.md in
 * a text and also returns what is left once they are cut out.
 */
import { canonicalDecimal, DECIMAL } from './decimal.js';
import { foldText } from './fold.js';
import { sizeUnitOf, unitPattern } from './units.js';

export interface SizeScan {
  /** Raw sizes in the order found: `<number><unit>` (`0.8kg`, `2pk`) or a bare unit (`pk`, `ea`). */
  readonly sizes: string[];
  /** The prepared text with every matched size expression replaced by a space. */
  readonly rest: string;
}

/** A number may not continue a word, a number or a decimal (`b12`, `v8` are not sizes). */
const START = '(?<![a-z0-9.])';
/** A unit must end its word (`500g` yes, `500gm` and `eggs` no). */
const END = '(?![a-z0-9])';
const NUM = `(${DECIMAL})`;
const UNIT = `(${unitPattern()})`;
const PACK_WORD = '(?:packs|pack|pk)';
const TIMES = '[x×*]';
const DASH = '[-–—]';

/** `1.5 - 2kg`, `250g-300g`: both ends, the first taking the second's unit when it has none. */
const RANGE = new RegExp(`${START}${NUM}\\s*(?:${UNIT}\\s*)?${DASH}\\s*${NUM}\\s*${UNIT}${END}`, 'g');
/** `2 x 500ml`, `6pk x 375ml`: a count then the size of one. */
const COUNT_TIMES_SIZE = new RegExp(`${START}${NUM}\\s*(?:${PACK_WORD}\\s*)?${TIMES}\\s*${NUM}\\s*${UNIT}${END}`, 'g');
/** `500ml x 6`, `375ml x 24 pack`: the size of one then a count. */
const SIZE_TIMES_COUNT = new RegExp(`${START}${NUM}\\s*${UNIT}\\s*${TIMES}\\s*${NUM}(?:\\s*${PACK_WORD})?${END}`, 'g');
/** `300g`, `300 g`, `1 litre`, `6 pack`, `1 each`. */
const PLAIN = new RegExp(`${START}${NUM}\\s*${UNIT}${END}`, 'g');
/** A unit word standing alone (`Bulk Pack`, `Each`, `per kg`); never a lone `g` or `l`. */
const BARE = new RegExp(`(?<![a-z0-9.])(${unitPattern(['g', 'l'])})${END}`, 'g');

/** A leading `approx.`, `approx`, `around` or `about`. */
const APPROX = /^\s*(?:approx\.?|around|about)(?![a-z])\s*/;

/**
 * Folds, lower-cases, drops commas (a thousands comma vanishes, `1,000g` → `1000g`; any other
 * comma becomes a space so `500g,2 pack` stays two sizes) and strips a leading "approx".
 */
export function prepareSizeText(text: string): string {
  return foldText(text).replace(/(?<=\d),(?=\d{3}(?!\d))/g, '').replace(/,/g, ' ').replace(APPROX, '');
}

/** Scans a text for sizes in the passes of docs/normalisation.md: ranges, multipacks both ways, plain sizes, bare units. */
export function scanSizes(text: string | null | undefined): SizeScan {
  if (!text) return { sizes: [], rest: '' };
  const sizes: string[] = [];
  const raw = (amount: string, unitWord: string | undefined): string | undefined => {
    const unit = unitWord === undefined ? undefined : sizeUnitOf(unitWord);
    return unit === undefined ? undefined : `${canonicalDecimal(amount)}${unit}`;
  };
  const pass = (input: string, pattern: RegExp, found: (...groups: (string | undefined)[]) => (string | undefined)[]): string =>
    input.replace(pattern, (...args: unknown[]) => {
      const groups = args.slice(1, -2) as (string | undefined)[];
      for (const size of found(...groups)) if (size !== undefined) sizes.push(size);
      return ' ';
    });

  let rest = prepareSizeText(text);
  rest = pass(rest, RANGE, (from, fromUnit, to, toUnit) => [raw(from ?? '', fromUnit ?? toUnit), raw(to ?? '', toUnit)]);
  rest = pass(rest, COUNT_TIMES_SIZE, (count, amount, unit) => [raw(count ?? '', 'pk'), raw(amount ?? '', unit)]);
  rest = pass(rest, SIZE_TIMES_COUNT, (amount, unit, count) => [raw(amount ?? '', unit), raw(count ?? '', 'pk')]);
  rest = pass(rest, PLAIN, (amount, unit) => [raw(amount ?? '', unit)]);
  rest = pass(rest, BARE, (unit) => [unit === undefined ? undefined : sizeUnitOf(unit)]);
  return { sizes, rest };
}
