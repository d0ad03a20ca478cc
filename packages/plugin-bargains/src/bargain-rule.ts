/**
 * The bargain rule (docs/bargains.md) and the flags that change it. Over the current prices of pricing
 * stores, per product with at least two prices: a bargain when `min > 0` and `max > 1.5 × min`
 * (strict). `--min-discount P` replaces 1.5 by 100/(100 − P) (P = 33⅓ is the default rule);
 * `--max-discount P` drops discounts above P% (data errors: a price in cents read as dollars);
 * `--min-companies N` asks for prices from at least N companies. Money compares exactly: the rule
 * is `max × a > min × b` in SQL numerics, never in floats.
 */
import { parseDays, parseIsoDate, UsageError } from '@trolley/core';
import { text } from './messages.js';

export interface BargainRule {
  /** Prices scraped on the reference date minus this many days, or later, compete. */
  readonly sinceDays: number;
  /** The reference date (`YYYY-MM-DD`); undefined: the newest scrape among the pricing stores. */
  readonly asOf?: string | undefined;
  /** `max × factor[0] > min × factor[1]`: [2, 3] is `max > 1.5 × min`. */
  readonly factor: readonly [string, string];
  /** `max × cap[0] <= min × cap[1]`, or no cap. */
  readonly cap?: readonly [string, string] | undefined;
  readonly minCompanies: number;
}

export const DEFAULT_SINCE = '7d';

export interface RuleFlags {
  readonly since?: string | undefined;
  readonly asOf?: string | undefined;
  readonly minDiscount?: string | undefined;
  readonly maxDiscount?: string | undefined;
  readonly minCompanies?: number | undefined;
}

export function bargainRule(flags: RuleFlags = {}): BargainRule {
  const sinceDays = parseDays(flags.since ?? DEFAULT_SINCE);
  if (sinceDays === undefined) throw new UsageError(text.badSince(flags.since ?? ''), 'bad-since');
  const asOf = flags.asOf === undefined ? undefined : parseIsoDate(flags.asOf);
  if (flags.asOf !== undefined && asOf === undefined) throw new UsageError(text.badAsOf(flags.asOf), 'bad-as-of');
  const percent = (value: string, flag: string) => {
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || Number(value) <= 0 || Number(value) >= 100) throw new UsageError(text.badPercent(flag, value), 'bad-discount');
    return value.trim();
  };
  // max > min × 100/(100 − P)  ⇔  max × (100 − P) > min × 100
  const factor: [string, string] = flags.minDiscount === undefined ? ['2', '3'] : [`(100 - ${percent(flags.minDiscount, '--min-discount')})`, '100'];
  const cap: [string, string] | undefined = flags.maxDiscount === undefined ? undefined : [`(100 - ${percent(flags.maxDiscount, '--max-discount')})`, '100'];
  const minCompanies = flags.minCompanies ?? 1;
  if (!Number.isInteger(minCompanies) || minCompanies < 1) throw new UsageError(text.badMinCompanies(minCompanies), 'bad-min-companies');
  return { sinceDays, asOf, factor, cap, minCompanies };
}
