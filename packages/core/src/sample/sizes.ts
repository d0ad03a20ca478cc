/**
 * Pack sizes of sample products, written the way each chain writes them, and the unit each chain
 * quotes a unit price in (`$2.26/100g`, `$5.99 per 1 kg`, `$12.50 / 1KG`, `$1.13 each`).
 */
import type { SampleCompany } from './companies.js';

/**
 * `pack`: `count` × `amount` grams or millilitres (count 1 for a single pack); `count`: `n` items;
 * `weighed`: sold by weight, about `kg` a piece.
 */
export type SizeSpec =
  | { readonly kind: 'pack'; readonly count: number; readonly amount: number; readonly unit: 'g' | 'ml' }
  | { readonly kind: 'count'; readonly n: number }
  | { readonly kind: 'weighed'; readonly kg: number };

const SIZE = /^(~)?(?:(\d+)x)?(\d+(?:\.\d+)?)(g|kg|ml|l|ea)$/;

/** Parses a template size: `500g`, `1.2kg`, `600ml`, `2l`, `6x375ml`, `12ea`, `~0.4kg`. */
export function parseSizeSpec(text: string): SizeSpec {
  const match = SIZE.exec(text);
  if (!match) throw new Error(`sample catalogue: bad size ${JSON.stringify(text)}`);
  const [, weighed, count, amountText, unit] = match;
  const amount = Number(amountText);
  if (weighed) {
    if (unit !== 'kg') throw new Error(`sample catalogue: a weighed size is in kg, not ${JSON.stringify(text)}`);
    return { kind: 'weighed', kg: amount };
  }
  if (unit === 'ea') return { kind: 'count', n: amount };
  const base = unit === 'kg' || unit === 'l' ? Math.round(amount * 1000) : amount;
  return { kind: 'pack', count: count === undefined ? 1 : Number(count), amount: base, unit: unit === 'kg' || unit === 'g' ? 'g' : 'ml' };
}

/** Grams, millilitres or items in the whole product (a weighed item: its approximate grams). */
export function totalQuantity(size: SizeSpec): number {
  switch (size.kind) {
    case 'pack':
      return size.count * size.amount;
    case 'count':
      return size.n;
    case 'weighed':
      return Math.round(size.kg * 1000);
  }
}

/** The reference shelf price in dollars of a product with this size at `perBase` dollars per kg, litre or item. */
export function referencePrice(size: SizeSpec, perBase: number): number {
  switch (size.kind) {
    case 'pack':
      return (perBase * totalQuantity(size)) / 1000;
    case 'count':
      return perBase * size.n;
    case 'weighed':
      return perBase; // sold per kg: the shelf price is the kg price
  }
}

/** `500` g → `500g`, `1200` g → `1.2kg`, `375` ml → `375ml`, `2000` ml → `2l` (units as given). */
function compact(amount: number, labels: { small: string; large: string }): string {
  return amount >= 1000 ? `${trimNumber(amount / 1000)}${labels.large}` : `${amount}${labels.small}`;
}

function trimNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function withThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const LABELS = {
  coles: { g: { small: 'g', large: 'kg' }, ml: { small: 'mL', large: 'L' } },
  plain: { g: { small: 'g', large: 'kg' }, ml: { small: 'ml', large: 'l' } },
} as const;

/**
 * The `size` text as the company writes it. `variant` (0 or 1, fixed per product) picks between
 * two ways Aldi writes grams (`350 g` or `0.35 kg`).
 */
export function sizeText(company: SampleCompany, size: SizeSpec, variant: number): string {
  switch (company) {
    case 'coles':
      if (size.kind === 'pack') {
        const one = compact(size.amount, LABELS.coles[size.unit]);
        return size.count > 1 ? `${size.count} x ${one}` : one;
      }
      if (size.kind === 'count') return size.n === 1 ? '1 each' : `${size.n} pack`;
      return size.kg < 1 ? `approx. ${Math.round(size.kg * 1000)}g` : `approx. ${trimNumber(size.kg)}kg`;
    case 'woolworths':
      if (size.kind === 'pack') {
        const one = compact(size.amount, LABELS.plain[size.unit]);
        return size.count > 1 ? `${size.count} x ${one}` : one;
      }
      if (size.kind === 'count') return size.n === 1 ? 'each' : `${size.n} pack`;
      return 'per kg';
    case 'aldi': {
      if (size.kind === 'count') return `${size.n} each`;
      if (size.kind === 'weighed') return `approx. ${trimNumber(size.kg)} ea per package`;
      const total = totalQuantity(size);
      const [small, large] = size.unit === 'g' ? ['g', 'kg'] : ['ml', 'l'];
      if (size.count > 1) return `${withThousands(total)} ${small}`;
      if (total >= 1000 || variant === 1) return `${trimNumber(total / 1000)} ${large}`;
      return `${total} ${small}`;
    }
    case 'iga':
      if (size.kind === 'pack') {
        const one = compact(size.amount, LABELS.plain[size.unit]);
        return size.count > 1 ? `${size.count} x ${one}` : `${one} Each`;
      }
      if (size.kind === 'count') return size.n === 1 ? 'Each' : `${size.n} Pack`;
      return size.kg < 1 ? `${Math.round(size.kg * 1000)}g EachUnit` : `${trimNumber(size.kg)}kg EachUnit`;
  }
}

/** What Aldi appends to a product name: ` 500g`, ` 12 Pack 85g`, ` 4 Pack` (nothing for weighed items). */
export function aldiNameSuffix(size: SizeSpec): string {
  switch (size.kind) {
    case 'pack': {
      const one = compact(size.amount, LABELS.coles[size.unit]);
      return size.count > 1 ? ` ${size.count} Pack ${one}` : ` ${one}`;
    }
    case 'count':
      return size.n > 1 ? ` ${size.n} Pack` : '';
    case 'weighed':
      return '';
  }
}

/** The unit a unit price is quoted per: 100 g, 1 kg, 100 ml, 1 l or 1 each. */
export interface UnitMeasure {
  readonly per: 1 | 100;
  readonly unit: 'g' | 'kg' | 'ml' | 'l' | 'ea';
  /** Shelf price ÷ `divisor` = the price per this measure. */
  readonly divisor: number;
  /** Shelf price ÷ `baseDivisor` = the price per 1 kg, 1 l or 1 each. */
  readonly baseDivisor: number;
}

/**
 * The measure the company quotes this product's unit price in. Packs under 1 kg (1 l) are priced
 * per 100 g (100 ml), larger ones per 1 kg (1 l); Aldi quotes some small packs per 1 kg too
 * (`perKgAnyway`, fixed per product). Weighed items: Coles sells by the piece, the others by the kg.
 */
export function unitMeasure(company: SampleCompany, size: SizeSpec, perKgAnyway: boolean): UnitMeasure {
  switch (size.kind) {
    case 'count':
      return { per: 1, unit: 'ea', divisor: size.n, baseDivisor: size.n };
    case 'weighed': {
      const divisor = company === 'coles' ? size.kg : 1;
      return { per: 1, unit: 'kg', divisor, baseDivisor: divisor };
    }
    case 'pack': {
      const total = totalQuantity(size);
      const large = size.unit === 'g' ? 'kg' : 'l';
      const baseDivisor = total / 1000;
      if (total >= 1000 || (company === 'aldi' && perKgAnyway)) return { per: 1, unit: large, divisor: baseDivisor, baseDivisor };
      return { per: 100, unit: size.unit, divisor: total / 100, baseDivisor };
    }
  }
}
