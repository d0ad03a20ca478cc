/**
 * Shelf prices of one chain over the sampled days.
 *
 * - A chain has one **national** state per product: a regular price, a special (a fraction of the
 *   regular price) or none, and availability. Day 0 starts from the catalogue price with a share of
 *   products on special; each later day a few percent of regular prices move, some specials end and
 *   new ones start.
 * - **Zones** are the chain's price zones: zone 0 charges the national price; every other zone
 *   charges a different price on a fixed ~12% of products. Stores of one zone therefore have
 *   identical prices on a day, and zones differ from each other by far more than 2%.
 * - A **rogue** store prices ~50% of its products away from every zone's price.
 *
 * Every decision is a hash of (seed, chain, day, product), so prices do not depend on how many
 * stores, days or chains are generated alongside.
 */
import { COMPANY_CODE, COMPANY_PROFILES, type SampleCompany } from './companies.js';
import type { CompanyProduct } from './catalogue.js';
import { seedWords, unit } from './random.js';

const STREAM = {
  base: 31,
  initialSpecial: 32,
  available: 33,
  change: 34,
  changeSize: 35,
  specialEnd: 36,
  specialStart: 37,
  specialRatio: 38,
  zone: 39,
  zoneSize: 40,
  rogue: 41,
  rogueSize: 42,
  availableFlip: 43,
} as const;

/** Share of products whose price differs in a zone other than zone 0. */
export const ZONE_DIFFERENT_SHARE = 0.12;
/** Share of products a rogue store prices away from every zone. */
export const ROGUE_DIFFERENT_SHARE = 0.5;
/** Daily chance that a regular price changes, and that a special ends (at the default churn). */
export const DAILY_PRICE_CHANGE = 0.02;
export const DAILY_SPECIAL_END = 0.2;
const DAILY_AVAILABILITY_FLIP = 0.01;
/**
 * About the share of a store's lines that differ from the day before at the rates above (regular
 * moves, specials starting and ending, availability flips): 5.7–6.1% measured on 200 × 2,000 and
 * 2,000 × 5,000 samples. A sample asked for another share scales every daily rate by the same
 * factor, which keeps the share of products on special where it was.
 */
export const DEFAULT_DAILY_CHANGE = 0.06;
const UNAVAILABLE_SHARE = 0.03;

/** The price grid step in cents at this price: Aldi's x.x9 in 10c steps, Coles and Woolworths 10c (50c above $10), IGA 5c (10c above $10). */
function gridStep(company: SampleCompany, cents: number): number {
  switch (company) {
    case 'aldi':
      return 10;
    case 'iga':
      return cents >= 1000 ? 10 : 5;
    default:
      return cents >= 1000 ? 50 : 10;
  }
}

/** Rounds a price in cents to the chain's shelf-price grid (Aldi ends in 9), never below its minimum. */
export function retailRound(company: SampleCompany, cents: number): number {
  const min = COMPANY_PROFILES[company].minCents;
  if (company === 'aldi') return Math.max(min, Math.round((cents + 1) / 10) * 10 - 1);
  const step = gridStep(company, cents);
  return Math.max(min, Math.round(cents / step) * step);
}

/** A price moved by `factor` that is guaranteed to differ from `cents`. */
function moved(company: SampleCompany, cents: number, factor: number): number {
  const next = retailRound(company, cents * factor);
  if (next !== cents) return next;
  return factor >= 1 || cents - gridStep(company, cents) < COMPANY_PROFILES[company].minCents ? cents + gridStep(company, cents) : cents - gridStep(company, cents);
}

/** What one store (or zone) charges on one day, per product of the chain's catalogue. */
export interface ShelfPrices {
  /** The shelf price in cents. */
  readonly current: Int32Array;
  /** The regular price in cents when on special, else 0. */
  readonly was: Int32Array;
  readonly available: Uint8Array;
}

export class PriceBook {
  private readonly s0: number;
  private readonly s1: number;
  private readonly code: number;
  private readonly keys: Int32Array;
  private readonly regular: Int32Array;
  /** Special price as a fraction of the regular price; 0 = not on special. */
  private readonly ratio: Float64Array;
  private readonly available: Uint8Array;
  private day = -1;
  private zoneCache = new Map<number, ShelfPrices>();
  /** Every daily rate times this: `dailyChange` ÷ {@link DEFAULT_DAILY_CHANGE}. */
  private readonly churn: number;

  constructor(
    seed: number,
    readonly company: SampleCompany,
    products: readonly CompanyProduct[],
    readonly zones: number,
    dailyChange = DEFAULT_DAILY_CHANGE,
  ) {
    this.churn = dailyChange / DEFAULT_DAILY_CHANGE;
    [this.s0, this.s1] = seedWords(seed);
    this.code = COMPANY_CODE[company];
    const n = products.length;
    this.keys = Int32Array.from(products, (p) => p.product.id);
    this.regular = new Int32Array(n);
    this.ratio = new Float64Array(n);
    this.available = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.regular[i] = this.basePrice(products[i] as CompanyProduct);
  }

  private u(stream: number, ...parts: number[]): number {
    return unit(this.s0, this.s1, this.code, stream, ...parts);
  }

  /** The chain's regular price at the start: the reference price, for national brands moved by the chain's pricing. */
  private basePrice(product: CompanyProduct): number {
    const { refCents, owner, id, size } = product.product;
    const [low, high] = COMPANY_PROFILES[this.company].nationalPriceFactor;
    let factor = 1;
    if (owner === null) {
      // Woolworths matches Coles' price on most national brands.
      factor = this.company === 'woolworths' && this.u(STREAM.base, id, 1) < 0.6 ? 1 : low + (high - low) * this.u(STREAM.base, id, 2);
    }
    // Coles prices a weighed item by the piece (`approx. 300g`, $40.00 per 1kg); the others by the kg.
    const piece = this.company === 'coles' && size.kind === 'weighed' ? size.kg : 1;
    return retailRound(this.company, refCents * factor * piece);
  }

  private specialRatio(day: number, key: number): number {
    const r = this.u(STREAM.specialRatio, day, key);
    return r < 0.3 ? 0.5 : 0.6 + 0.25 * (r - 0.3) / 0.7;
  }

  /** Moves the national state to `day` (0 first, then each following day in order). */
  advance(day: number): void {
    if (day !== this.day + 1) throw new Error(`PriceBook.advance: day ${day} after day ${this.day}`);
    this.day = day;
    this.zoneCache = new Map();
    const profile = COMPANY_PROFILES[this.company];
    const churn = this.churn;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i] as number;
      if (day === 0) {
        this.ratio[i] = this.u(STREAM.initialSpecial, key) < profile.specialShare ? this.specialRatio(0, key) : 0;
        this.available[i] = this.u(STREAM.available, key) < UNAVAILABLE_SHARE ? 0 : 1;
        continue;
      }
      if (this.u(STREAM.change, day, key) < DAILY_PRICE_CHANGE * churn) {
        const r = this.u(STREAM.changeSize, day, key);
        this.regular[i] = moved(this.company, this.regular[i] as number, r < 0.35 ? 0.92 + 0.06 * r / 0.35 : 1.03 + 0.12 * (r - 0.35) / 0.65);
      }
      if ((this.ratio[i] as number) > 0) {
        if (this.u(STREAM.specialEnd, day, key) < DAILY_SPECIAL_END * churn) this.ratio[i] = 0;
      } else if (this.u(STREAM.specialStart, day, key) < profile.specialStart * churn) {
        this.ratio[i] = this.specialRatio(day, key);
      }
      if (this.u(STREAM.availableFlip, day, key) < DAILY_AVAILABILITY_FLIP * churn) this.available[i] = this.available[i] ? 0 : 1;
    }
  }

  /** The regular price of product `i` in `zone` today. */
  private zoneRegular(zone: number, i: number): number {
    const regular = this.regular[i] as number;
    if (zone === 0) return regular;
    const key = this.keys[i] as number;
    if (this.u(STREAM.zone, zone, key) >= ZONE_DIFFERENT_SHARE) return regular;
    const r = this.u(STREAM.zoneSize, zone, key);
    return moved(this.company, regular, r < 0.5 ? 0.88 + 0.08 * r / 0.5 : 1.04 + 0.08 * (r - 0.5) / 0.5);
  }

  /** Shelf prices from regular prices: today's specials applied. */
  private shelf(regular: (i: number) => number): ShelfPrices {
    const n = this.keys.length;
    const current = new Int32Array(n);
    const was = new Int32Array(n);
    const min = COMPANY_PROFILES[this.company].minCents;
    for (let i = 0; i < n; i++) {
      const price = regular(i);
      const ratio = this.ratio[i] as number;
      let special = ratio > 0 ? retailRound(this.company, price * ratio) : price;
      if (special >= price) special = price - gridStep(this.company, price);
      if (ratio > 0 && special >= min) {
        current[i] = special;
        was[i] = price;
      } else {
        current[i] = price;
      }
    }
    return { current, was, available: this.available.slice() };
  }

  /** What every store of `zone` charges today (computed once per zone and day). */
  zonePrices(zone: number): ShelfPrices {
    let prices = this.zoneCache.get(zone);
    if (prices === undefined) {
      prices = this.shelf((i) => this.zoneRegular(zone, i));
      this.zoneCache.set(zone, prices);
    }
    return prices;
  }

  /** What a rogue store (identified by `storeKey`) charges today: ~50% of products away from every zone. */
  roguePrices(storeKey: number): ShelfPrices {
    return this.shelf((i) => {
      const national = this.regular[i] as number;
      const key = this.keys[i] as number;
      if (this.u(STREAM.rogue, storeKey, key) >= ROGUE_DIFFERENT_SHARE) return national;
      const r = this.u(STREAM.rogueSize, storeKey, key);
      let price = moved(this.company, national, r < 0.4 ? 0.75 + 0.2 * r / 0.4 : 1.05 + 0.2 * (r - 0.4) / 0.6);
      const zonePrices = new Set<number>();
      for (let zone = 0; zone < this.zones; zone++) zonePrices.add(this.zoneRegular(zone, i));
      while (zonePrices.has(price)) price += gridStep(this.company, price);
      return price;
    });
  }
}
