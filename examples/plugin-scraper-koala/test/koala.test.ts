import test from 'ava';
import { fileURLToPath } from 'node:url';
import { FixtureSite, scrapeScene, type FixtureRequest } from '@trolley/scraper-kit/testing';

const DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Koala Grocer's API: two aisles, 120 and 7 products, 50 a page, `hasMore` false on the last. */
function koalaSite(): FixtureSite {
  const aisles = { fruit: 120, bakery: 7 };
  const product = (aisle: string, i: number) => ({ code: `${aisle}-${i}`, title: `${aisle} item ${i} 500g`, maker: 'Koala Farms', pack: '500g', price: `$${(2 + i / 100).toFixed(2)}`, wasPrice: i === 0 ? '$3.00' : null, unitPrice: `$${((2 + i / 100) * 2).toFixed(2)}/kg`, ean: null, inStock: true });
  return new FixtureSite((r: FixtureRequest) => {
    if (r.path === '/api/stores/K1/aisles') return { body: { aisles: Object.keys(aisles).map((slug) => ({ slug, title: slug[0]!.toUpperCase() + slug.slice(1) })) } };
    const match = /^\/api\/stores\/K1\/aisles\/(\w+)$/.exec(r.path);
    if (!match) return undefined;
    const total = aisles[match[1] as keyof typeof aisles];
    const page = Number(r.query.get('page'));
    const from = (page - 1) * 50;
    return { body: { products: Array.from({ length: Math.max(0, Math.min(50, total - from)) }, (_, i) => product(match[1]!, from + i)), hasMore: from + 50 < total } };
  });
}

test('linked with trolley plugins link, the example chain is scraped with scrape products and imported', async (t) => {
  // Many CLI runs: slow on a loaded machine (the embedded database opens in each).
  t.timeout(15 * 60_000);
  const s = await scrapeScene(t, 'koala', 'K1', koalaSite());
  const link = await s.cli.run(['plugins', 'link', DIR, '--no-install']);
  t.is(link.code, 0, link.stderr);
  const scraped = await s.cli.run(s.args('--json'));
  t.is(scraped.code, 0, scraped.stderr);
  const result = JSON.parse(scraped.stdout) as { file: string; products: number; pages: number };
  t.is(result.products, 127);
  t.is(result.pages, 3 + 1, 'hasMore: false ends an aisle without asking for an empty page');
  const first = s.records().find((r) => r.product.sku === 'fruit-0')!.product;
  t.like(first, { name: 'fruit item 0 500g', brand: 'Koala Farms', price_current: 2, price_was: 3, is_on_special: true, unit_price: 4, unit_of_measure: '1kg', category_path: ['Koala Grocer', 'Fruit'] });
  const imported = await s.cli.run(['import', '--json', result.file]);
  t.is(imported.code, 0, imported.stderr);
  t.like((JSON.parse(imported.stdout) as { files: unknown[] }).files[0], { company: 'koala', store: 'K1', records: 127, rejects: 0 });
});
