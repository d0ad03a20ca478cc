/** What plugin-bargains says to people, kept apart from the code that decides. */
import type { BargainsReport } from './bargains.js';

export const text = {
  generateDescription:
    'Over the current prices (scraped within --since of the newest scrape, or of --as-of) of the pricing stores — group anchors when stores are grouped, every store otherwise — each product with at least two prices is a bargain when its dearest price is more than 1.5 times its cheapest (change the rule with --min-discount, --max-discount, --min-companies); the bargain is credited to the cheapest store. The bargains table is updated in one transaction — bargains that are gone or changed are deleted, new ones inserted, unchanged ones left alone — so readers see the old bargains or the new ones, never none, and a run over unchanged prices changes nothing.',
  listDescription: 'Lists stored bargains, best discount first. For a store in a group, the bargains of its anchor: it reads its prices through the anchor.',
  badSince: (value: string) => `--since ${value} is not a duration such as 7d or 72h.`,
  badAsOf: (value: string) => `--as-of ${value} is not a date (YYYY-MM-DD).`,
  badPercent: (flag: string, value: string) => `${flag} ${value} is not a percentage above 0 and below 100, such as 40.`,
  badMinCompanies: (value: number) => `--min-companies ${value} must be a whole number from 1.`,
  unknownStore: (store: string, company: string | undefined) => `No store ${store}${company ? ` of ${company}` : ''} is known; check trolley prices count --by store for the stores imported.`,
  ambiguousStore: (store: string, companies: readonly string[]) => `Store ${store} exists at ${companies.join(' and ')}; say which with --company.`,
  generated: (r: BargainsReport) =>
    r.asOf === null
      ? 'No pricing store has prices yet: no bargains.'
      : `${r.dryRun ? 'Dry run: would store' : 'Stored'} ${r.bargains.toLocaleString('en-AU')} bargain(s) from ${r.competingPrices.toLocaleString('en-AU')} current prices of ${r.productsCompared.toLocaleString('en-AU')} products in ${r.pricingStores} pricing store(s), scraped ${r.since} to ${r.asOf} (${r.inserted.toLocaleString('en-AU')} new or changed, ${r.deleted.toLocaleString('en-AU')} gone or changed).`,
};
