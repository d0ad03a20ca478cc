/**
 * The sample product catalogue. A pool of national-brand products is shared by the chains (the same
 * product keeps its barcode everywhere); each chain adds its own-label range and sells a seeded
 * subset of the national pool, so many products are sold by several chains. Everything is a pure
 * function of the seed and the number of products per chain: the Coles range does not change when
 * Aldi is left out.
 */
import { extractSizes, productKey, productSizes } from '../normalise/index.js';
import { CATEGORIES, RANGE_WORDS, categoryPath, type CategoryTemplate, type ItemTemplate } from './categories.js';
import { COMPANY_CODE, COMPANY_PROFILES, RESERVED_BARCODE_PREFIXES, type SampleCompany } from './companies.js';
import { Random, hash32, hashString, seedWords, unit } from './random.js';
import { aldiNameSuffix, parseSizeSpec, referencePrice, sizeText, totalQuantity, unitMeasure, type SizeSpec, type UnitMeasure } from './sizes.js';

/** Stream labels for {@link Random} and {@link unit} (never renumber: output depends on them). */
const STREAM = { national: 11, own: 12, pick: 13, sku: 14, barcodes: 15, priceJitter: 16, variant: 17, missingBarcode: 18 } as const;

/** A product before any chain presents it. */
export interface UniverseProduct {
  /** Unique across the universe: national products count from 0, a chain's own label from 1e6 × its code. */
  readonly id: number;
  readonly categoryIndex: number;
  readonly category: CategoryTemplate;
  /** The name without brand or size: `Smoked Short Cut Bacon`. */
  readonly base: string;
  readonly brand: string;
  /** The chain whose own label it is; null for a national brand. */
  readonly owner: SampleCompany | null;
  readonly size: SizeSpec;
  /** Reference shelf price in cents (a chain's own price derives from it); per kg for a weighed item. */
  readonly refCents: number;
  /** GTIN-13; null for weighed items and Aldi's own label. */
  readonly barcode: string | null;
}

/** A product as one chain lists it: every field of a scrape record that does not change by store or day. */
export interface CompanyProduct {
  readonly product: UniverseProduct;
  readonly sku: string | number;
  readonly name: string;
  readonly brand: string;
  readonly barcode: string | null;
  readonly size: string;
  readonly sizes: readonly string[];
  readonly url: string | null;
  readonly categoryPath: readonly string[];
  readonly imageUrl: string;
  /** `normalized_name_brand_size` with spaces (current files). */
  readonly nnbs: string;
  readonly measure: UnitMeasure;
}

/** The GS1 check digit of the first 12 digits of a GTIN-13. */
export function gs1CheckDigit(twelve: string): number {
  let sum = 0;
  for (let i = 0; i < twelve.length; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** A GTIN-13: `prefix` followed by random digits and the check digit, not in `used`. */
function gtin13(random: Random, prefix: string, used: Set<string>, reject: readonly string[] = []): string {
  for (;;) {
    const twelve = prefix + random.digits(12 - prefix.length);
    const code = twelve + String(gs1CheckDigit(twelve));
    if (!used.has(code) && !reject.some((p) => code.startsWith(p))) {
      used.add(code);
      return code;
    }
  }
}

/** Country prefixes of national barcodes, by weight: mostly Australian, some imports. */
const NATIONAL_PREFIXES = ['93', '93', '93', '93', '93', '93', '93', '94', '88', '80', '50'];

function baseName(item: ItemTemplate, variant: string, range: readonly string[]): string {
  const name = variant === '' ? item[0] : variant.replace('*', item[0]);
  return [...range, name].join(' ');
}

interface FamilyPick {
  readonly categoryIndex: number;
  readonly item: ItemTemplate;
  readonly base: string;
  readonly brand: string;
}

/**
 * Draws product families (one brand's product line in all its sizes) until `count` products exist.
 * Plain combinations first; when a draw repeats a family, later draws add range words
 * ("Classic", "Premium", …) so even large catalogues stay unique.
 */
function drawFamilies(random: Random, count: number, categories: readonly number[], brandOf: (category: CategoryTemplate, random: Random) => string, onProduct: (pick: FamilyPick, size: SizeSpec) => void): void {
  const seen = new Set<string>();
  let made = 0;
  while (made < count) {
    let pick: FamilyPick | undefined;
    for (let attempt = 0; attempt < 2000 && pick === undefined; attempt++) {
      const categoryIndex = random.pick(categories);
      const category = CATEGORIES[categoryIndex] as CategoryTemplate;
      const item = random.pick(category.items);
      const variant = random.pick(category.variants);
      const brand = brandOf(category, random);
      const depth = attempt < 30 ? 0 : attempt < 200 ? 1 : 2;
      const range: string[] = [];
      while (range.length < depth) {
        const word = random.pick(RANGE_WORDS);
        if (!range.includes(word)) range.push(word);
      }
      const base = baseName(item, variant, range);
      // Unique by words, as the product key sees them: "Soft Toilet Paper" by SOFT DAYS is "Toilet Paper" by SOFT DAYS.
      const key = productKey(base, brand, []);
      if (!seen.has(key)) {
        seen.add(key);
        pick = { categoryIndex, item, base, brand };
      }
    }
    if (pick === undefined) throw new Error(`sample catalogue: ran out of distinct products after ${made}`);
    for (const sizeText_ of pick.item[2].split(' ')) {
      if (made >= count) break;
      onProduct(pick, parseSizeSpec(sizeText_));
      made++;
    }
  }
}

/** The price factor of a national brand: a fixed 0.9–1.25 from its name (premium brands cost more). */
function nationalBrandFactor(brand: string): number {
  return 0.9 + 0.35 * (hashString(brand) / 0x1_0000_0000);
}

/** Words in a name that move its price: organic and free range cost more, value less. */
const PRICE_WORDS: ReadonlyArray<readonly [RegExp, number]> = [
  [/\bOrganic\b/, 1.3],
  [/\b(?:Free Range|Grass Fed|RSPCA Approved)\b/, 1.2],
  [/\b(?:Premium|Gourmet|Reserve|Deluxe|Artisan|Signature)\b/, 1.15],
  [/\bValue\b/, 0.85],
];

function refCentsOf(seed: number, id: number, size: SizeSpec, perBase: number, brandFactor: number, base: string): number {
  const [s0, s1] = seedWords(seed);
  const jitter = 0.9 + 0.2 * unit(s0, s1, STREAM.priceJitter, id);
  const words = PRICE_WORDS.reduce((factor, [word, f]) => (word.test(base) ? factor * f : factor), 1);
  return Math.max(50, Math.round(referencePrice(size, perBase) * brandFactor * words * jitter * 100));
}

/** The national-brand pool: `count` products of the categories that have national brands. */
export function nationalPool(seed: number, count: number): UniverseProduct[] {
  const random = new Random(...seedWords(seed), STREAM.national);
  const barcodes = new Random(...seedWords(seed), STREAM.national, STREAM.barcodes);
  const used = new Set<string>();
  const branded = CATEGORIES.flatMap((c, i) => (c.brands.length > 0 ? [i] : []));
  const pool: UniverseProduct[] = [];
  drawFamilies(random, count, branded, (category, r) => r.pick(category.brands), (pick, size) => {
    const id = pool.length;
    pool.push({
      id,
      categoryIndex: pick.categoryIndex,
      category: CATEGORIES[pick.categoryIndex] as CategoryTemplate,
      base: pick.base,
      brand: pick.brand,
      owner: null,
      size,
      refCents: refCentsOf(seed, id, size, pick.item[1], nationalBrandFactor(pick.brand), pick.base),
      barcode: size.kind === 'weighed' ? null : gtin13(barcodes, barcodes.pick(NATIONAL_PREFIXES), used, RESERVED_BARCODE_PREFIXES),
    });
  });
  return pool;
}

/** A chain's own-label range: `count` products over all categories. */
export function ownLabelRange(seed: number, company: SampleCompany, count: number): UniverseProduct[] {
  const code = COMPANY_CODE[company];
  const profile = COMPANY_PROFILES[company];
  const random = new Random(...seedWords(seed), STREAM.own, code);
  const barcodes = new Random(...seedWords(seed), STREAM.own, code, STREAM.barcodes);
  const used = new Set<string>();
  const all = CATEGORIES.map((_, i) => i);
  const labels = profile.ownLabels;
  const factorOf = new Map(labels.map((l) => [l.brand, l.priceFactor]));
  const range: UniverseProduct[] = [];
  const brandOf = (category: CategoryTemplate, r: Random) =>
    labels.length === 0
      ? r.pick(category.aldi)
      : r.weighted(
          labels.map((l) => l.brand),
          labels.map((l) => l.weight),
        );
  drawFamilies(random, count, all, brandOf, (pick, size) => {
    const id = code * 1_000_000 + range.length;
    const prefix = profile.ownBarcodePrefix;
    range.push({
      id,
      categoryIndex: pick.categoryIndex,
      category: CATEGORIES[pick.categoryIndex] as CategoryTemplate,
      base: pick.base,
      brand: pick.brand,
      owner: company,
      size,
      refCents: refCentsOf(seed, id, size, pick.item[1], factorOf.get(pick.brand) ?? 0.8, pick.base),
      barcode: prefix === null || size.kind === 'weighed' ? null : gtin13(barcodes, prefix, used),
    });
  });
  return range;
}

/** How many of a chain's `products` are own-label. */
export function ownLabelCount(company: SampleCompany, products: number): number {
  return Math.round(products * COMPANY_PROFILES[company].ownShare);
}

/** Share of national products a chain lists without a barcode (the scrape missed it). */
const MISSING_BARCODE_SHARE = 0.03;

/**
 * The products a chain sells: its own label plus a seeded choice from the national pool, in
 * category order, each presented the chain's way (SKU, name, size text, URL, category path...).
 * `pool` must hold at least `products` entries.
 */
export function companyCatalogue(seed: number, company: SampleCompany, products: number, pool: readonly UniverseProduct[]): CompanyProduct[] {
  const code = COMPANY_CODE[company];
  const [s0, s1] = seedWords(seed);
  const own = ownLabelRange(seed, company, ownLabelCount(company, products));
  const nationalCount = products - own.length;
  if (pool.length < nationalCount) throw new Error(`sample catalogue: the national pool has ${pool.length} products, ${nationalCount} needed`);
  const picked = new Random(s0, s1, STREAM.pick, code).shuffle(pool.map((_, i) => i)).slice(0, nationalCount);
  const chosen = [...own, ...picked.map((i) => pool[i] as UniverseProduct)];
  chosen.sort(
    (a, b) =>
      a.categoryIndex - b.categoryIndex ||
      compareText(a.base, b.base) ||
      compareText(a.brand, b.brand) ||
      totalQuantity(a.size) - totalQuantity(b.size) ||
      a.id - b.id,
  );
  const skus = skuMaker(new Random(s0, s1, STREAM.sku, code), company);
  return chosen.map((product) => {
    const variant = hash32(s0, s1, STREAM.variant, code, product.id);
    const missing = product.owner === null && unit(s0, s1, STREAM.missingBarcode, code, product.id) < MISSING_BARCODE_SHARE;
    return present(company, product, skus(), company === 'aldi' || missing ? null : product.barcode, variant);
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A generator of unique SKUs in the chain's style. */
function skuMaker(random: Random, company: SampleCompany): () => string | number {
  const used = new Set<string | number>();
  const draw = (): string | number => {
    switch (company) {
      case 'coles':
        return random.int(1_000_000, 9_999_999);
      case 'woolworths':
        return random.int(10_000, 999_999);
      case 'aldi':
        return random.chance(0.7) ? `000000000000${random.int(100_000, 999_999)}` : `000000000${random.int(100_000, 999_999)}00${random.int(1, 3)}`;
      case 'iga':
        return random.chance(0.75) ? String(random.int(1_000, 999_999)) : `${random.int(16, 18)}0000${random.digits(6)}`;
    }
  };
  return () => {
    for (;;) {
      const sku = draw();
      if (!used.has(sku)) {
        used.add(sku);
        return sku;
      }
    }
  };
}

/** Lower-case ASCII words joined by hyphens, for URLs and file names. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function present(company: SampleCompany, product: UniverseProduct, sku: string | number, barcode: string | null, variant: number): CompanyProduct {
  const brand = product.brand;
  const name =
    company === 'coles' ? product.base : company === 'aldi' ? `${product.base}${aldiNameSuffix(product.size)}` : `${brand} ${product.base}`;
  const size = sizeText(company, product.size, variant & 1);
  const sizes = [...new Set([...extractSizes(name), ...extractSizes(brand), ...extractSizes(size)])].sort();
  const skuText = String(sku);
  return {
    product,
    sku,
    name,
    brand,
    barcode,
    size,
    sizes,
    url: urlOf(company, skuText, brand, name, size),
    categoryPath: categoryPath(company, product.category),
    imageUrl: imageOf(company, skuText, variant),
    nnbs: productKey(name, brand, productSizes({ name, brand, size })),
    measure: unitMeasure(company, product.size, ((variant >>> 1) & 3) === 0),
  };
}

function urlOf(company: SampleCompany, sku: string, brand: string, name: string, size: string): string | null {
  switch (company) {
    case 'coles':
      return `https://www.coles.com.au/product/${slugify(`${brand} ${name} ${size}`)}-${sku}`;
    case 'woolworths':
      return `https://www.woolworths.com.au/shop/productdetails/${sku}/${slugify(name)}`;
    case 'aldi':
      return `https://www.aldi.com.au/product/${slugify(`${brand} ${name}`)}-${sku}`;
    case 'iga':
      return null; // IGA listings carry no product URL
  }
}

function imageOf(company: SampleCompany, sku: string, variant: number): string {
  switch (company) {
    case 'coles':
      return `https://productimages.coles.com.au/productimages/${sku[0] ?? '0'}/${sku}.jpg`;
    case 'woolworths':
      return `https://cdn0.woolworths.media/content/wowproductimages/large/${sku.padStart(6, '0')}.jpg`;
    case 'aldi': {
      const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
      const a = hex(hash32(variant, 1));
      const b = hex(hash32(variant, 2));
      const c = hex(hash32(variant, 3));
      const d = hex(hash32(variant, 4));
      const uuid = `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
      return `https://dm.apac.cms.aldi.cx/is/image/aldiprodapac/product/jpg/scaleWidth/{width}/${uuid}/{slug}`;
    }
    case 'iga':
      return `https://cdn.metcash.media/image/upload/w_1500,h_1500,c_pad,b_auto/igashop/images/${sku}.jpg`;
  }
}
