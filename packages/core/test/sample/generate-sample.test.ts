import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { checkLine } from '../../src/import/scrape-line.js';
import { UsageError } from '../../src/errors.js';
import { generateSample } from '../../src/sample/generate-sample.js';
import { differentShare, hasValidGs1CheckDigit, pricesBySku, rawLines, readLines, sample, SMALL, tempDir, type Line, type Product } from './helpers.js';

const PRODUCT_KEYS = [
  'sku',
  'name',
  'brand',
  'barcode',
  'size',
  'sizes',
  'url',
  'category_path',
  'price_current',
  'price_was',
  'is_on_special',
  'per_unit_price_string',
  'per_unit_price_value',
  'per_unit_price_measure',
  'unit_price',
  'unit_of_measure',
  'is_available',
  'normalized_name_brand_size',
  'price_hash',
  'scraped_date',
  'image_url',
];

const STORE_ID: Record<string, RegExp> = { coles: /^COL:\d{3,}$/, woolworths: /^\d{4,}$/, aldi: /^G\d{3,}$/, iga: /^\d{5,}$/ };
const UNIT_STRING: Record<string, RegExp> = {
  coles: /^\$\d+\.\d{2} per (?:100g|1kg|100mL|1L|1ea)$/,
  woolworths: /^\$\d+\.\d{2} \/ (?:100G|1KG|100ML|1L|1EA)$/,
  aldi: /^\$\d+\.\d{2} per (?:100 g|1 kg|100 ml|1 l|1 each)$/,
  iga: /^\$\d+\.\d{2}(?:\/100g|\/kg|\/100ml|\/l| each)$/,
};

function allLines(files: readonly string[]): Line[] {
  return files.flatMap((f) => readLines(f));
}

function isMoney(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
}

test('the same seed and options give byte-identical files', async (t) => {
  const options = { days: 2, quirks: { legacyKeys: false, aldiUnitPriceDividedTwice: true } };
  const a = await sample(t, options);
  const b = await sample(t, options);
  const names = (dir: string) => fs.readdirSync(dir).sort();
  t.deepEqual(names(a.dir), names(b.dir));
  t.is(names(a.dir).length, 16);
  for (const name of names(a.dir)) t.true(fs.readFileSync(path.join(a.dir, name)).equals(fs.readFileSync(path.join(b.dir, name))), name);
  t.deepEqual(a.result.storeList, b.result.storeList);
});

test('a different seed gives different stores, products and prices', async (t) => {
  const a = await sample(t, { seed: 1 });
  const b = await sample(t, { seed: 2 });
  t.notDeepEqual(a.result.storeList.map((s) => s.storeId), b.result.storeList.map((s) => s.storeId));
  const names = (files: string[]) => new Set(allLines(files).map((l) => `${String(l.product.brand)} ${String(l.product.name)}`));
  const namesA = names(a.result.files);
  const shared = [...names(b.result.files)].filter((n) => namesA.has(n)).length;
  t.true(shared < namesA.size * 0.8, `${shared} of ${namesA.size} product names shared`);
  const first = (files: string[]) => fs.readFileSync(files[0] as string);
  t.false(first(a.result.files).equals(first(b.result.files)));
});

test('file and record counts match the options; stores are spread round-robin; file names follow <company>-<slug>-<store id>-<date>', async (t) => {
  const { dir, result } = await sample(t, { stores: 11, products: 37, days: 3 });
  const files = fs.readdirSync(dir);
  t.is(files.length, 11 * 3);
  t.is(result.files.length, 33);
  t.is(result.records, 11 * 3 * 37);
  t.is(result.stores, 11);
  t.deepEqual(result.dates, ['2026-01-29', '2026-01-30', '2026-01-31']);
  for (const file of result.files) t.is(rawLines(file).length, 37, file);
  const perCompany = new Map<string, number>();
  for (const store of result.storeList) perCompany.set(store.company, (perCompany.get(store.company) ?? 0) + 1);
  t.deepEqual([...perCompany].sort(), [['aldi', 3], ['coles', 3], ['iga', 2], ['woolworths', 3]]);
  for (const file of files) t.regex(file, /^(coles|woolworths|aldi|iga)-[a-z0-9-]+-(col-\d+|g\d+|\d+)-2026-01-(29|30|31)\.jsonl\.gz$/);
  t.false(files.some((f) => f.endsWith('.partial')));
  // Distinct products: no more than every chain's range, and fewer because national brands are shared.
  t.true(result.products < 4 * 37 && result.products > 37, `${result.products} distinct products`);
});

test('every line has the fields of a real scrape record, with each chain’s types and styles', async (t) => {
  const { result } = await sample(t, { stores: 8, products: 300 });
  let specials = 0;
  for (const file of result.files) {
    const base = path.basename(file);
    const lines = readLines(file);
    const companyOfFile = base.split('-')[0] as string;
    const storeIds = new Set(lines.map((l) => l.metadata.store_id));
    t.is(storeIds.size, 1, `${base} holds one store`);
    const skus = new Set(lines.map((l) => String(l.product.sku)));
    t.is(skus.size, lines.length, `${base}: SKUs are unique`);
    for (const { product: p, metadata: m } of lines) {
      t.deepEqual(Object.keys(m), ['company', 'store_name', 'store_id', 'state', 'scraped_date']);
      t.is(m.company, companyOfFile);
      t.regex(String(m.store_id), STORE_ID[companyOfFile] as RegExp);
      t.true(['nsw', 'vic', 'qld', 'sa', 'wa', 'tas', 'act', 'nt'].includes(String(m.state)));
      t.is(m.scraped_date, '2026-01-31');
      t.deepEqual(Object.keys(p), PRODUCT_KEYS);
      if (companyOfFile === 'coles' || companyOfFile === 'woolworths') t.true(Number.isInteger(p.sku), `${companyOfFile} SKU is a number`);
      if (companyOfFile === 'aldi') {
        t.regex(String(p.sku), /^\d{18}$/);
        t.is(typeof p.sku, 'string');
        t.is(p.barcode, null);
      }
      if (companyOfFile === 'iga') {
        t.is(typeof p.sku, 'string');
        t.regex(String(p.sku), /^\d+$/);
      }
      t.true(typeof p.name === 'string' && p.name.trim() !== '');
      t.true(typeof p.brand === 'string' && p.brand !== '');
      t.true(typeof p.size === 'string' && p.size !== '');
      t.true(Array.isArray(p.sizes) && p.sizes.every((s) => typeof s === 'string'));
      t.true(Array.isArray(p.category_path) && p.category_path.length >= 2 && p.category_path.length <= 3 && p.category_path.every((c) => typeof c === 'string' && c !== ''));
      t.true(isMoney(p.price_current), `price_current ${String(p.price_current)}`);
      if (p.is_on_special === true) {
        specials++;
        t.true(isMoney(p.price_was) && (p.price_was as number) > (p.price_current as number));
      } else {
        t.is(p.is_on_special, false);
        t.is(p.price_was, null);
      }
      t.regex(String(p.per_unit_price_string), UNIT_STRING[companyOfFile] as RegExp);
      t.true(typeof p.unit_price === 'number' && p.unit_price > 0);
      t.is(typeof p.unit_of_measure, 'string');
      t.is(typeof p.is_available, 'boolean');
      t.regex(String(p.normalized_name_brand_size), / /);
      t.regex(String(p.price_hash), /^[0-9a-f]{32}$/);
      t.is(p.scraped_date, '2026-01-31');
      t.is(typeof p.image_url, 'string');
      t.is(typeof p.url, companyOfFile === 'iga' ? 'object' : 'string');
    }
  }
  t.true(specials > 0, 'some products are on special');
});

test('barcodes: GTIN-13 with a right GS1 check digit; a few percent missing; one barcode per product across chains', async (t) => {
  const { result } = await sample(t, { stores: 4, products: 400 });
  const lines = allLines(result.files);
  const withBarcodes = lines.filter((l) => l.metadata.company !== 'aldi');
  const codes = withBarcodes.map((l) => l.product.barcode).filter((b): b is string => b !== null);
  t.true(codes.length > 0);
  for (const code of codes) {
    t.regex(code, /^\d{13}$/);
    t.true(hasValidGs1CheckDigit(code), `check digit of ${code}`);
  }
  const missing = 1 - codes.length / withBarcodes.length;
  t.true(missing > 0.005 && missing < 0.15, `${(missing * 100).toFixed(1)}% without barcode`);
  t.true(lines.filter((l) => l.metadata.company === 'aldi').every((l) => l.product.barcode === null));
  // A barcode names one product: the same brand wherever it is sold, and several chains share some.
  const byCode = new Map<string, { brands: Set<string>; companies: Set<string> }>();
  for (const l of withBarcodes) {
    if (l.product.barcode === null) continue;
    const entry = byCode.get(String(l.product.barcode)) ?? { brands: new Set(), companies: new Set() };
    entry.brands.add(String(l.product.brand));
    entry.companies.add(String(l.metadata.company));
    byCode.set(String(l.product.barcode), entry);
  }
  t.true([...byCode.values()].every((e) => e.brands.size === 1));
  const shared = [...byCode.values()].filter((e) => e.companies.size >= 2).length;
  t.true(shared > 50, `${shared} barcodes sold by two or more chains`);
  // The invalid-check-digit helper itself rejects a wrong code.
  t.false(hasValidGs1CheckDigit('9300601275046'));
  t.true(hasValidGs1CheckDigit('9310631635078'));
});

test('stores of one zone have identical prices; zones differ a little; rogue stores differ on a large share', async (t) => {
  const { result } = await sample(t, { companies: ['coles', 'aldi'], stores: 14, products: 400, zones: 2, rogueStores: 1 });
  for (const company of ['coles', 'aldi']) {
    const stores = result.storeList.map((s, i) => ({ ...s, file: result.files[i] as string })).filter((s) => s.company === company);
    const rogue = stores.filter((s) => s.zone === null);
    t.is(rogue.length, 1);
    const zone0 = stores.filter((s) => s.zone === 0);
    const zone1 = stores.filter((s) => s.zone === 1);
    t.is(zone0.length, 3);
    t.is(zone1.length, 3);
    for (const zone of [zone0, zone1]) {
      const first = pricesBySku(zone[0]!.file);
      for (const other of zone.slice(1)) {
        const { common, share } = differentShare(first, pricesBySku(other.file));
        t.is(common, 400);
        t.is(share, 0, `${company}: stores of one zone price identically`);
      }
    }
    const between = differentShare(pricesBySku(zone0[0]!.file), pricesBySku(zone1[0]!.file));
    t.true(between.share > 0.03 && between.share < 0.3, `${company}: zones differ on ${(between.share * 100).toFixed(1)}%`);
    for (const zone of [zone0, zone1]) {
      const { share } = differentShare(pricesBySku(rogue[0]!.file), pricesBySku(zone[0]!.file));
      t.true(share > 0.35, `${company}: rogue differs from a zone on ${(share * 100).toFixed(1)}%`);
    }
  }
});

test('day to day, some prices and specials change and most stay', async (t) => {
  const { result } = await sample(t, { stores: 8, products: 300, days: 3 });
  const perDay = result.dates.map((date) => result.files.filter((f) => f.includes(date)));
  let changed = 0;
  let compared = 0;
  let specialsChanged = 0;
  for (let day = 1; day < 3; day++) {
    for (let s = 0; s < result.stores; s++) {
      const before = readLines(perDay[day - 1]![s]!);
      const after = new Map(readLines(perDay[day]![s]!).map((l) => [String(l.product.sku), l.product]));
      t.is(after.size, before.length);
      for (const { product } of before) {
        const next = after.get(String(product.sku)) as Product;
        compared++;
        if (next.price_current !== product.price_current || next.price_was !== product.price_was) changed++;
        if (next.is_on_special !== product.is_on_special) specialsChanged++;
        t.is(next.name, product.name);
      }
    }
  }
  const share = changed / compared;
  t.true(share > 0.01 && share < 0.15, `${(share * 100).toFixed(1)}% of prices changed from one day to the next`);
  t.true(specialsChanged > 0, 'specials start or end');
});

/** Share of a store's lines (date aside) that differ from the day before, over every store of two days. */
function lineChangeShare(files: readonly string[], dates: readonly string[]): number {
  const withoutDate = (line: Line) => JSON.stringify({ ...line.product, scraped_date: null });
  let changed = 0;
  let compared = 0;
  const [first, second] = dates.map((date) => files.filter((f) => f.includes(date)));
  first!.forEach((file, s) => {
    const after = new Map(readLines(second![s]!).map((l) => [String(l.product.sku), withoutDate(l)]));
    for (const line of readLines(file)) {
      compared++;
      if (after.get(String(line.product.sku)) !== withoutDate(line)) changed++;
    }
  });
  return changed / compared;
}

test('--daily-change sets about the share of a store\'s lines that differ from the day before', async (t) => {
  const options = { stores: 8, products: 2000, days: 2, rogueStores: 0 };
  const usual = await sample(t, options);
  const calm = await sample(t, { ...options, dailyChange: 0.005 });
  const usualShare = lineChangeShare(usual.result.files, usual.result.dates);
  const calmShare = lineChangeShare(calm.result.files, calm.result.dates);
  t.true(usualShare > 0.04 && usualShare < 0.08, `default: ${(usualShare * 100).toFixed(2)}% of lines changed`);
  t.true(calmShare > 0.0025 && calmShare < 0.01, `0.005: ${(calmShare * 100).toFixed(2)}% of lines changed`);
  // The first day does not depend on the daily rate: the same files, byte for byte.
  const firstDay = (files: readonly string[], date: string) => files.filter((f) => f.includes(date)).map((f) => rawLines(f).join('\n'));
  t.deepEqual(firstDay(calm.result.files, calm.result.dates[0]!), firstDay(usual.result.files, usual.result.dates[0]!));
});

test('legacy keys: normalized_name_brand_size without spaces and no price_hash', async (t) => {
  const { result } = await sample(t, { stores: 4, products: 60, quirks: { legacyKeys: true, aldiUnitPriceDividedTwice: false } });
  const lines = allLines(result.files);
  t.is(lines.length, 240);
  for (const { product } of lines) {
    t.false('price_hash' in product);
    t.regex(String(product.normalized_name_brand_size), /^[a-z0-9]+$/);
  }
});

test('the Aldi unit price quirk divides unit_price by 100 a second time, and only for Aldi', async (t) => {
  const plain = await sample(t, { companies: ['aldi', 'iga'], stores: 2, products: 150 });
  const quirky = await sample(t, { companies: ['aldi', 'iga'], stores: 2, products: 150, quirks: { legacyKeys: false, aldiUnitPriceDividedTwice: true } });
  const [aldiPlain, igaPlain] = plain.result.files.map((f) => readLines(f));
  const [aldiQuirky, igaQuirky] = quirky.result.files.map((f) => readLines(f));
  t.is(aldiPlain![0]!.metadata.company, 'aldi');
  t.deepEqual(igaQuirky, igaPlain);
  aldiPlain!.forEach((line, i) => {
    const odd = aldiQuirky![i]!.product;
    t.is(odd.per_unit_price_string, line.product.per_unit_price_string);
    t.is(odd.unit_price, Math.round(line.product.unit_price as number) / 100, 'dollars per unit ÷ 100, in cents');
  });
  t.true(aldiQuirky!.some((l, i) => l.product.unit_price !== aldiPlain![i]!.product.unit_price));
});

test('every generated line passes the importer’s record check, with a unit price it can read', async (t) => {
  const { result } = await sample(t, { stores: 8, products: 250, quirks: { legacyKeys: true, aldiUnitPriceDividedTwice: true } });
  let lines = 0;
  for (const file of result.files) {
    const nnbs = new Set<string>();
    rawLines(file).forEach((text, i) => {
      const verdict = checkLine(text, i + 1);
      lines++;
      if (!verdict.ok) return t.fail(`${path.basename(file)} line ${i + 1}: ${verdict.reason}`);
      t.is(verdict.rejectedBarcode, undefined);
      t.not(verdict.row.unitPrice, null, `${verdict.row.name}: unit price`);
      nnbs.add(verdict.row.nnbs);
    });
    t.is(nnbs.size, rawLines(file).length, `${path.basename(file)}: product keys are unique within a store`);
  }
  t.is(lines, 8 * 250);
});

test('a chain’s range does not depend on which other chains are generated', async (t) => {
  const alone = await sample(t, { companies: ['coles'], stores: 1 });
  const together = await sample(t, { stores: 4 });
  const catalogue = (file: string) => readLines(file).map((l) => `${String(l.product.sku)} ${String(l.product.name)} ${String(l.product.barcode)}`);
  const colesFile = together.result.files.find((f) => path.basename(f).startsWith('coles-')) as string;
  t.deepEqual(catalogue(alone.result.files[0] as string), catalogue(colesFile));
  t.deepEqual(alone.result.storeList.map((s) => s.company), ['coles']);
});

test('large catalogues stay unique', async (t) => {
  const { result } = await sample(t, { companies: ['aldi'], stores: 1, products: 6000 });
  const lines = readLines(result.files[0] as string);
  t.is(lines.length, 6000);
  t.is(new Set(lines.map((l) => l.product.normalized_name_brand_size)).size, 6000);
});

const invalid: Array<[string, Partial<typeof SMALL>, RegExp]> = [
  ['no stores', { stores: 0 }, /^--stores must be at least 1 \(got 0\)\.$/],
  ['no products', { products: 0 }, /^--products must be at least 1/],
  ['zero days', { days: 0 }, /^--days must be at least 1/],
  ['no zones', { zones: 0 }, /^--zones must be at least 1/],
  ['negative rogue stores', { rogueStores: -1 }, /^--rogue must be at least 0/],
  ['too many products', { products: 50_000 }, /^--products must be at most 20,000/],
  ['an impossible date', { endDate: '2026-02-30' }, /^--end-date must be a date written YYYY-MM-DD, not "2026-02-30"\.$/],
  ['no chains', { companies: [] }, /^--companies must name at least one of coles, woolworths, aldi, iga\.$/],
  ['no daily change', { dailyChange: 0 }, /^--daily-change must be a share above 0 and at most 0\.5 \(0\.005 for 0\.5%\), not 0\.$/],
  ['a daily change above half', { dailyChange: 0.9 }, /^--daily-change must be a share above 0 and at most 0\.5/],
];

for (const [what, options, message] of invalid) {
  test(`invalid options (${what}) are refused with one sentence and nothing is written`, async (t) => {
    const dir = path.join(tempDir(t), 'out');
    const error = await t.throwsAsync(generateSample({ ...SMALL, ...options, outDir: dir }), { instanceOf: UsageError });
    t.regex(error?.message ?? '', message);
    t.false(fs.existsSync(dir));
  });
}
