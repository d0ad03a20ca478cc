/**
 * Money (docs/normalisation.md): the one place that turns a retailer's money value into AUD dollars, so a value
 * sent in cents (Aldi) is divided by 100 exactly once.
 */
import { roundTo } from './decimal.js';

/** A plain non-negative amount, optionally with a leading `$` and thousands commas: `5.99`, `$1,234.50`, `.5`. */
const AMOUNT = /^\$?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)$/;

/**
 * A money value in dollars rounded to 2 decimals, from a number or a numeric string in the given
 * unit (`599`, 'cents' → 5.99). Null for anything else: empty, NaN, infinite, negative, non-numeric.
 */
export function toDollars(value: unknown, unit: 'dollars' | 'cents'): number | null {
  let amount: number;
  if (typeof value === 'number') {
    amount = value;
  } else if (typeof value === 'string') {
    const match = AMOUNT.exec(value.trim());
    if (!match?.[1]) return null;
    amount = Number(match[1].replace(/,/g, ''));
  } else {
    return null;
  }
  if (!Number.isFinite(amount) || amount < 0) return null;
  return roundTo(unit === 'cents' ? amount / 100 : amount, 2);
}
