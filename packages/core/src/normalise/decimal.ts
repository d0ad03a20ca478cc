/**
 * Exact decimal helpers, working on the digits as written so sizes and money never pick up float
 * noise (`0.8kg` → `800g`, never `800.0000000001g`).
 */

/** A non-negative decimal as written: `12`, `1.5`, `.5`. */
export const DECIMAL = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;

/** Canonical form of a non-negative decimal string: no leading or trailing zeros (`01.50` → `1.5`, `.5` → `0.5`). */
export function canonicalDecimal(text: string): string {
  const [whole = '', fraction = ''] = text.split('.');
  const int = whole.replace(/^0+(?=\d)/, '') || '0';
  const frac = fraction.replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/** Multiplies a non-negative decimal string by 10^places by moving the point (`0.8`, 3 → `800`). */
export function shiftDecimal(text: string, places: number): string {
  const [whole = '', fraction = ''] = text.split('.');
  const padded = fraction.padEnd(places, '0');
  return canonicalDecimal(`${whole}${padded.slice(0, places)}.${padded.slice(places)}`);
}

/** True when the decimal string is zero (`0`, `0.00`). */
export function isZeroDecimal(text: string): boolean {
  return /^[0.]*$/.test(text);
}

/** Rounds half away from zero to `places` decimals, exact for values as written (`1.005` → `1.01`). */
export function roundTo(value: number, places: number): number {
  if (!Number.isFinite(value)) return value;
  // Most values already have at most `places` decimals (prices as scraped): the scaled value is
  // then within float noise of an integer, and dividing that integer back gives the same number
  // as the decimal written out.
  const scale = 10 ** places;
  const scaled = value * scale;
  const whole = Math.round(scaled);
  if (Math.abs(scaled - whole) < 1e-7 && Math.abs(scaled) < 2 ** 52) return whole / scale || 0;
  // Beyond 2^52 a float has no fractional digits left to round: the value is what it is.
  if (Math.abs(scaled) >= 2 ** 52) return value;
  const magnitude = Math.abs(value);
  const rounded = /e/i.test(String(magnitude))
    ? Math.round(magnitude * 10 ** places) / 10 ** places
    : Number(`${Math.round(Number(`${magnitude}e${places}`))}e-${places}`);
  return Math.sign(value) * rounded || 0;
}
