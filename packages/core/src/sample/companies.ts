/**
 * The four supermarket chains the sample generator knows, and what makes each one look like itself:
 * its own-label brands, how much of its range is own-label, how its prices sit against the others.
 */

export const SAMPLE_COMPANIES = ['coles', 'woolworths', 'aldi', 'iga'] as const;
export type SampleCompany = (typeof SAMPLE_COMPANIES)[number];

/** A number per company for hashing (never reorder: output depends on it). */
export const COMPANY_CODE: Readonly<Record<SampleCompany, number>> = { coles: 1, woolworths: 2, aldi: 3, iga: 4 };

export interface OwnLabel {
  readonly brand: string;
  /** How often this brand is chosen among the company's own labels. */
  readonly weight: number;
  /** Price against the category's national brands (1 = the same). */
  readonly priceFactor: number;
}

export interface CompanyProfile {
  /** Share of the range that is own-label (the rest are national brands, shared with other chains). */
  readonly ownShare: number;
  /** Own-label brands (Aldi's come from each category's own list instead). */
  readonly ownLabels: readonly OwnLabel[];
  /** Price of a national-brand product against the reference price: [min, max) of a per-product factor. */
  readonly nationalPriceFactor: readonly [number, number];
  /** GS1 company prefix of own-label barcodes; null when the company publishes no barcodes (Aldi). */
  readonly ownBarcodePrefix: string | null;
  /** Smallest shelf price in cents. */
  readonly minCents: number;
  /** Share of products on special on the first day, and the daily chance a special starts. */
  readonly specialShare: number;
  readonly specialStart: number;
}

export const COMPANY_PROFILES: Readonly<Record<SampleCompany, CompanyProfile>> = {
  coles: {
    ownShare: 0.3,
    ownLabels: [
      { brand: 'Coles', weight: 7, priceFactor: 0.8 },
      { brand: 'Coles Finest', weight: 2, priceFactor: 1.05 },
      { brand: 'Coles Simply', weight: 1, priceFactor: 0.6 },
    ],
    nationalPriceFactor: [1, 1],
    ownBarcodePrefix: '9300601',
    minCents: 50,
    specialShare: 0.1,
    specialStart: 0.015,
  },
  woolworths: {
    ownShare: 0.3,
    ownLabels: [
      { brand: 'Woolworths', weight: 7, priceFactor: 0.8 },
      { brand: 'Woolworths Gold', weight: 2, priceFactor: 1.05 },
      { brand: 'Macro', weight: 1, priceFactor: 0.95 },
    ],
    nationalPriceFactor: [0.94, 1.08],
    ownBarcodePrefix: '9300633',
    minCents: 50,
    specialShare: 0.1,
    specialStart: 0.015,
  },
  aldi: {
    ownShare: 0.85,
    ownLabels: [],
    nationalPriceFactor: [0.85, 1],
    ownBarcodePrefix: null,
    minCents: 49,
    specialShare: 0.03,
    specialStart: 0.005,
  },
  iga: {
    ownShare: 0.2,
    ownLabels: [
      { brand: 'Community Co', weight: 7, priceFactor: 0.85 },
      { brand: 'Black & Gold', weight: 3, priceFactor: 0.6 },
    ],
    nationalPriceFactor: [1.08, 1.3],
    ownBarcodePrefix: '9310246',
    minCents: 50,
    specialShare: 0.15,
    specialStart: 0.02,
  },
};

/** Own-label barcode prefixes: national barcodes must never start with one of these. */
export const RESERVED_BARCODE_PREFIXES: readonly string[] = SAMPLE_COMPANIES.map((c) => COMPANY_PROFILES[c].ownBarcodePrefix).filter(
  (p): p is string => p !== null,
);
