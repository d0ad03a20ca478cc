import test from 'ava';
import path from 'node:path';
import { identityResolver, importFiles, matchProduct, priceHistory, productPrices, resolveProduct, resolveStoreRefs } from '../../src/index.js';
import { serveApi } from '../serve/helpers.js';
import { cliSandbox, testDatabase } from '../../src/testing/index.js';
import { line, tempDir, writeScrape } from '../import/scrape-fixtures.js';
import { unitPriceText } from '../../src/commands/prices/show.js';

const store = (id: string, date: string) => ({ store_id: id, store_name: `store ${id}`, scraped_date: date });
const catalogue = (meta: Record<string, unknown>, price: (i: number) => number) => [
  line({ sku: 'M2', name: 'Full Cream Milk 2L', brand: 'Farmdale', barcode: '9300633001230', price_current: price(0), per_unit_price_string: '$2.15/1L' }, meta),
  line({ sku: 'M3', name: 'Full Cream Milk 3L', brand: 'Farmdale', price_current: price(1) }, meta),
  line({ sku: 'C1', name: 'Milk Chocolate Block 180g', brand: 'Dairy Fine', price_current: price(2) }, meta),
  line({ sku: 'R1', name: 'Basmati Rice 1kg', brand: 'Sunrice', price_current: price(3) }, meta),
];

async function seeded(t: Parameters<typeof tempDir>[0]) {
  const { knex } = await testDatabase(t);
  const dir = tempDir(t);
  const files = [
    writeScrape(dir, 'a1.jsonl', catalogue(store('G1', '2026-01-01'), (i) => 4 + i)),
    writeScrape(dir, 'b1.jsonl', catalogue(store('G2', '2026-01-01'), (i) => 3.5 + i)),
    writeScrape(dir, 'a2.jsonl', catalogue(store('G1', '2026-01-02'), (i) => (i === 0 ? 3.9 : 4 + i))),
    writeScrape(dir, 'a3.jsonl', catalogue(store('G1', '2026-01-03'), (i) => (i === 0 ? 3.9 : 4 + i))),
    writeScrape(dir, 'a4.jsonl', catalogue(store('G1', '2026-01-04'), (i) => 4 + i)),
  ];
  await importFiles(knex, files);
  return knex;
}

test('the product resolver: id, barcode, company:sku, name words; several matches are listed, none is an input error', async (t) => {
  const knex = await seeded(t);
  const milk = await resolveProduct(knex, '9300633001230');
  t.is(milk.name, 'Full Cream Milk 2L');
  t.like(await matchProduct(knex, String(milk.id)), { kind: 'found', by: 'id' });
  t.like(await matchProduct(knex, 'aldi:M2'), { kind: 'found', by: 'sku', product: { id: milk.id } });
  t.like(await matchProduct(knex, 'ALDI:R1'), { kind: 'found', product: { name: 'Basmati Rice 1kg' } });
  t.like(await matchProduct(knex, 'basmati'), { kind: 'found', by: 'name' });
  const ambiguous = await matchProduct(knex, 'milk');
  t.is(ambiguous.kind, 'ambiguous');
  if (ambiguous.kind === 'ambiguous') t.deepEqual(ambiguous.candidates.map((c) => c.name), ['Milk Chocolate Block 180g', 'Full Cream Milk 2L', 'Full Cream Milk 3L'], 'a name starting with the words first, then the shortest');
  t.like(await matchProduct(knex, 'full cream milk 2l'), { kind: 'found', product: { id: milk.id } });
  t.like(await matchProduct(knex, '50% off'), { kind: 'none' });
  const error = await t.throwsAsync(resolveProduct(knex, 'milk'));
  t.is((error as { exitCode?: number }).exitCode, 3);
  t.regex(error!.message, /matches several products: .*Full Cream Milk 2L.*name one by its id/);
  await t.throwsAsync(resolveProduct(knex, 'no such thing'), { message: /^No product matches "no such thing"/ });
});

test('a brand word finds products whose brand, not name, says it; a displayed name (brand then name) or an exact name finds its own product', async (t) => {
  const { knex } = await testDatabase(t);
  const meta = store('G1', '2026-01-01');
  await importFiles(knex, [
    writeScrape(tempDir(t), 'butter.jsonl', [
      line({ sku: 'L1', name: 'Spreadable Butter 250g', brand: 'Lurpak', price_current: 5 }, meta),
      line({ sku: 'L2', name: 'Lurpak Slightly Salted Butter 250g', brand: 'Lurpak', price_current: 5.5 }, meta),
      line({ sku: 'W1', name: 'Salted Butter 250g', brand: 'Western Star', price_current: 4 }, meta),
    ]),
  ]);
  const lurpak = await matchProduct(knex, 'lurpak');
  t.is(lurpak.kind, 'ambiguous');
  if (lurpak.kind === 'ambiguous') t.deepEqual(lurpak.candidates.map((c) => c.name).sort(), ['Lurpak Slightly Salted Butter 250g', 'Spreadable Butter 250g'], 'the brand alone says Lurpak for L1');
  t.like(await matchProduct(knex, 'lurpak spreadable'), { kind: 'found', product: { name: 'Spreadable Butter 250g' } });
  t.like(await matchProduct(knex, 'Lurpak Spreadable Butter 250g'), { kind: 'found', product: { name: 'Spreadable Butter 250g' } }, 'the displayed name');
  t.like(await matchProduct(knex, 'Salted Butter 250g'), { kind: 'found', product: { name: 'Salted Butter 250g', brand: 'Western Star' } }, 'the exact name wins over a longer name holding its words');
});

test('productPrices: every store, cheapest first, with unit price; priceHistory: the change events per store', async (t) => {
  const knex = await seeded(t);
  const milk = await resolveProduct(knex, 'aldi:M2');
  const prices = await productPrices(knex, identityResolver, milk.id);
  t.deepEqual(prices.map((p) => [p.store.code, p.price, p.scrapedDate]), [['G2', '3.50', '2026-01-01'], ['G1', '4.00', '2026-01-04']]);
  t.is(prices[0]!.unitPrice, '2.1500');
  t.is(prices[0]!.unit, 'l');
  const g1 = prices[1]!.store.id;
  t.deepEqual((await productPrices(knex, identityResolver, milk.id, { storeIds: [g1] })).map((p) => p.store.code), ['G1']);
  const history = await priceHistory(knex, milk.id);
  const byStore = (code: string) => history.filter((h) => h.store.code === code).map((h) => [h.date, h.price]);
  t.deepEqual(byStore('G1'), [['2026-01-01', '4.00'], ['2026-01-02', '3.90'], ['2026-01-04', '4.00']]);
  t.deepEqual(byStore('G2'), [['2026-01-01', '3.50']]);
  t.deepEqual((await priceHistory(knex, milk.id, { storeIds: [g1], since: '2026-01-02' })).map((h) => [h.date, h.price]), [['2026-01-02', '3.90'], ['2026-01-04', '4.00']]);
});

test('trolley prices show and history: --json, a store code filter, and exit 3 with the candidates for an ambiguous name', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  await writeScrape(dir, 'a1.jsonl', catalogue(store('G1', '2026-01-01'), (i) => 4 + i));
  await writeScrape(dir, 'b1.jsonl', catalogue(store('G2', '2026-01-01'), (i) => 3.5 + i));
  t.is((await cli.run(['import', dir, '--json'])).code, 0);
  const shown = await cli.run(['prices', 'show', 'full cream milk 2l', '--json']);
  t.is(shown.code, 0, shown.stderr);
  t.deepEqual(JSON.parse(shown.stdout).prices.map((p: { price: string; store: { code: string } }) => [p.store.code, p.price]), [['G2', '3.50'], ['G1', '4.00']]);
  const one = JSON.parse((await cli.run(['prices', 'show', '9300633001230', '--store-code', 'aldi:g1', '--json'])).stdout);
  t.deepEqual(one.prices.map((p: { store: { code: string } }) => p.store.code), ['G1']);
  const g2 = shown.stdout && (JSON.parse(shown.stdout).prices as Array<{ storeId: number; store: { code: string } }>).find((p) => p.store.code === 'G2')!.storeId;
  const mixed = JSON.parse((await cli.run(['prices', 'show', '9300633001230', '--stores', `aldi:G1,${g2}`, '--json'])).stdout);
  t.deepEqual(mixed.prices.map((p: { store: { code: string } }) => p.store.code), ['G2', 'G1'], 'ids and codes mix in one --stores list');
  const human = await cli.run(['prices', 'show', 'aldi:M2']);
  t.regex(human.stdout, /\$3\.50 .*\$2\.15\/l .*aldi G2/, 'a unit price in cents, the stored 4 decimals trimmed');
  const ambiguous = await cli.run(['prices', 'show', 'milk']);
  t.is(ambiguous.code, 3);
  t.regex(ambiguous.stderr, /"milk" matches several products: .*Full Cream Milk 3L/);
  const history = await cli.run(['prices', 'history', 'aldi:M2', '--store', 'G2', '--json']);
  t.is(history.code, 0, history.stderr);
  t.deepEqual(JSON.parse(history.stdout).changes.map((c: { date: string; price: string }) => [c.date, c.price]), [['2026-01-01', '3.50']]);
  t.is((await cli.run(['prices', 'history', 'aldi:M2', '--since', 'yesterday'])).code, 2);
  t.is((await cli.run(['prices', 'show', 'aldi:M2', '--store-code', 'aldi:G99'])).code, 2);
  // prices count labels its first column with the breakdown asked for.
  for (const [by, label, first] of [['company', 'COMPANY', 'aldi'], ['store', 'STORE', 'aldi G1']] as const) {
    const count = await cli.run(['prices', 'count', '--by', by, '--csv']);
    t.is(count.code, 0, count.stderr);
    const [header, row] = count.stdout.trim().split('\n');
    t.regex(header!, new RegExp(`^${label},STORES,ROWS,`));
    t.true(row!.startsWith(`${first}`), row);
  }
});

test('a store code in its company\'s own form names the store: coles:0584 is COL:584, in --stores and in the API (a bare number stays a database id)', async (t) => {
  const cli = cliSandbox(t);
  const dir = tempDir(t);
  const coles = { company: 'coles', store_id: 'COL:584', store_name: 'coles bondi', scraped_date: '2026-01-01' };
  await writeScrape(dir, 'c1.jsonl', catalogue(coles, (i) => 5 + i));
  await writeScrape(dir, 'a1.jsonl', catalogue(store('G1', '2026-01-01'), (i) => 4 + i));
  t.is((await cli.run(['import', dir, '--json'])).code, 0);
  for (const ref of ['coles:0584', 'COLES:584', 'coles:COL:584', 'col:584']) {
    const shown = await cli.run(['prices', 'show', 'coles:R1', '--stores', ref, '--json']);
    t.is(shown.code, 0, `${ref}: ${shown.stderr}`);
    t.deepEqual(JSON.parse(shown.stdout).prices.map((p: { store: { code: string } }) => p.store.code), ['COL:584'], ref);
  }
  const unknown = await cli.run(['prices', 'show', 'coles:R1', '--stores', 'coles:0585']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /No store is named "coles:0585"/);

  const { knex } = await testDatabase(t);
  await importFiles(knex, [path.join(dir, 'c1.jsonl')]);
  const colesForm = (company: string, code: string) => (company === 'coles' && /^(?:COL:)?\d+$/i.test(code) ? `COL:${Number(code.replace(/^COL:/i, ''))}` : undefined);
  const [id] = await resolveStoreRefs(knex, ['coles:0584'], colesForm);
  t.deepEqual(await resolveStoreRefs(knex, ['coles:584', 'coles:COL:584', 'col:584'], colesForm), [id!]);
  await t.throwsAsync(resolveStoreRefs(knex, ['coles:0584']), { message: /No store is named "coles:0584"/ }, 'without the company\'s form only the stored code names it');
  const api = await serveApi(t, knex, { storeIdForm: colesForm });
  const product = await resolveProduct(knex, 'coles:R1');
  const prices = await api.get(`/api/products/${product.id}/prices?store_ids=coles:0584`);
  t.is(prices.status, 200, JSON.stringify(prices.body));
  t.is(prices.body.prices[0].store.code, 'COL:584');
});

test('a unit price reads in cents, with the stored decimals only where they say more', (t) => {
  t.deepEqual(['12.0000', '2.1500', '3.4560', '0.0125', '7.1', 12].map(unitPriceText), ['12.00', '2.15', '3.456', '0.0125', '7.10', '12.00']);
});
