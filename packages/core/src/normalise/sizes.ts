/**
 * Product sizes (docs/normalisation.md "Sizes"): raw sizes as written, then standardised to base units so the
 * same quantity written two ways (`0.8 kg`, `800g`) is one size.
 */
import { canonicalDecimal, DECIMAL, isZeroDecimal, shiftDecimal } from './decimal.js';
import { scanSizes } from './size-scan.js';
import { sizeUnitOf } from './units.js';

/**
 * Raw sizes found in a text, in the order found: lower-cased, commas dropped (`1,000g` → `1000g`), a leading
 * `approx.`/`approx`/`around`/`about` stripped; ranges (`1.5 - 2kg` → `1.5kg`, `2kg`), multipacks
 * (`2 x 500ml` → `2pk`, `500ml`; `500ml x 6` → `500ml`, `6pk`), plain sizes (`0.8 kg` → `0.8kg`),
 * then bare unit words (`pack` → `pk`, `each` → `ea`, `kg` → `kg`; never a bare `g` or `l`).
 * Units must end their word: `Eggs` yields nothing, `180g EachUnit` yields only `180g`.
 */
export function extractSizes(text: string | null | undefined): string[] {
  return scanSizes(text).sizes;
}

const SIZE = new RegExp(`^(${DECIMAL})?\\s*([a-z]+)$`);

/**
 * Standardised sizes: kg → g ×1000 and l → ml ×1000 (exact decimal arithmetic), a count of one
 * each or a fractional each (Aldi's `approx. 1.8 ea per package` is a weight estimate) → `ea`,
 * other counts kept (`12ea`, `1pk`, `6pk`); bare units stay as they are (`kg` means "sold per kg").
 * Zero quantities and entries that are not sizes are dropped. Returns unique values sorted.
 */
export function standardiseSizes(sizes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const size of sizes) {
    const standard = standardiseSize(size);
    if (standard !== undefined) out.add(standard);
  }
  return [...out].sort();
}

function standardiseSize(size: string): string | undefined {
  const match = SIZE.exec(size.trim().toLowerCase());
  const unit = match?.[2] === undefined ? undefined : sizeUnitOf(match[2]);
  if (!match || unit === undefined) return undefined;
  const written = match[1];
  if (written === undefined) return unit;
  if (isZeroDecimal(written)) return undefined;
  const amount = canonicalDecimal(written);
  switch (unit) {
    case 'kg':
      return `${shiftDecimal(amount, 3)}g`;
    case 'l':
      return `${shiftDecimal(amount, 3)}ml`;
    case 'ea':
      return amount === '1' || amount.includes('.') ? 'ea' : `${amount}ea`;
    default:
      return `${amount}${unit}`;
  }
}

/** A product's standardised sizes: the union of the sizes in its name, brand and size text. */
export function productSizes(product: { name?: string | null; brand?: string | null; size?: string | null }): string[] {
  return standardiseSizes([...extractSizes(product.name), ...extractSizes(product.brand), ...extractSizes(product.size)]);
}
