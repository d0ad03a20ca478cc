/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core against the server
 * on loopback. Set TROLLEY_SCREENSHOTS to a folder to keep the screenshots (docs/screenshots).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { BUNDLED_POSTCODES } from '../../src/commands/postcodes/import.js';
import { readPostcodeLines, readStoreLines } from '../../src/stores/store-lines.js';
import { importPostcodes, importStores } from '../../src/stores/store-registry.js';
import { ALDI, fixtureDatabase, G147, IGA, serveApi, storeId } from './helpers.js';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

/** How many pixels of a PNG differ from its top-left pixel, counted by the browser's own decoder. */
async function inkedPixels(page: Page, png: Buffer): Promise<number> {
  // Runs in the page (a string, so this file needs no DOM types).
  return page.evaluate(`(async (b64) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + b64;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 60) inked++;
    return inked;
  })(${JSON.stringify(png.toString('base64'))})`);
}

test('in Chromium: pick stores, search, open a product with its prices and a drawn history chart, split a basket; no console errors', async (t) => {
  const knex = await fixtureDatabase(t, [ALDI, IGA, ...G147]);
  // Coordinates for the stores and postcodes: a trimmed copy of the real store list, and the list trolley ships.
  await importStores(knex, await readStoreLines(fileURLToPath(new URL('../../../test/stores/fixtures/stores-trimmed.jsonl.gz', import.meta.url))));
  await importPostcodes(knex, await readPostcodeLines(BUNDLED_POSTCODES));
  const api = await serveApi(t, knex, { publicReads: true });
  const g147 = await storeId(knex, 'aldi', 'G147');
  const changed = (await knex.raw(`select h.product_id, k.sku from price_history h join product_skus k on k.product_id = h.product_id where h.store_id = ? and k.sku not in ('000000000000398931', '000000000000400810') group by h.product_id, k.sku having count(*) > 1 order by h.product_id limit 1`, [g147])).rows[0] as { product_id: number; sku: string };
  t.truthy(changed, 'a product whose price changed');

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ARGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const shots = process.env.TROLLEY_SCREENSHOTS;
  const keep = async (name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, name), fullPage: true });
  };
  if (shots) fs.mkdirSync(shots, { recursive: true });

  await page.goto(api.url + '/');
  t.is(await page.title(), 'trolley: grocery prices');

  // My stores: by postcode, nearest first (the store registry and the postcodes trolley ships), then one more from the list of all stores.
  await page.getByRole('link', { name: /My stores/ }).click();
  await page.getByLabel('Postcode').fill('2000');
  await page.getByRole('button', { name: 'Find stores near' }).click();
  await page.getByText(/store\(s\) within 10 km of 2000/).waitFor();
  const distances = (await page.locator('#store-list label').allTextContents()).map((label) => Number(/, ([\d.]+) km$/.exec(label)?.[1]));
  t.true(distances.length > 10 && distances.every((d, i) => d <= 10 && (i === 0 || distances[i - 1]! <= d)), `nearest first: ${distances.join(', ')}`);
  for (const label of [/aldi edgecliff/i, /iga IGA Local Grocer North Sydney/i]) await page.getByLabel(label).first().check();
  await page.getByLabel('Or filter all stores').fill('G147');
  await page.getByLabel(/aldi aldi store g147|aldi G147/i).first().check();
  t.is(await page.locator('#store-count').textContent(), '3');
  await keep('stores.png');

  // Search, best match first.
  await page.getByLabel('Search products').fill('short cut bacn');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('#results li a').first().waitFor();
  const names = await page.locator('#results li a').allTextContents();
  t.deepEqual(names.slice(0, 2).sort(), ['Short Cut Bacon 1kg', 'Short Cut Bacon 500g']);
  await keep('search.png');

  // A product: prices at my stores, cheapest first; add it to the basket.
  await page.getByRole('link', { name: 'Short Cut Bacon 1kg' }).click();
  await page.locator('#prices tbody tr').first().waitFor();
  t.true((await page.locator('#prices tbody tr').count()) >= 2, 'priced at both Aldi stores');
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to basket' }).click();

  // A product whose price changed: its chart is drawn.
  await page.getByLabel('Search products').fill(changed.sku);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('#results li a').first().click();
  await page.locator('#chart canvas').waitFor();
  await page.getByLabel('Store', { exact: true }).selectOption(String(g147));
  await page.getByText(/price point\(s\) from 2025-09-09 to 2025-09-22/).waitFor();
  const chart = await page.locator('#chart').screenshot();
  t.true((await inkedPixels(page, chart)) > 500, 'the chart area is not blank');
  await keep('product.png');
  await page.getByRole('button', { name: 'Add to basket' }).click();

  // The basket split.
  await page.getByRole('link', { name: /Basket/ }).click();
  // The list is drawn when the hash changes, after the click returns: wait for it, then count.
  await page.locator('#basket-items li').first().waitFor();
  t.is(await page.locator('#basket-items li').count(), 2);
  await page.getByLabel('Shop at most').selectOption('1');
  await page.getByRole('button', { name: 'Split basket' }).click();
  await page.locator('#plan-total').waitFor();
  t.regex((await page.locator('#plan-total').textContent()) ?? '', /^Total \$\d+\.\d\d at aldi/);
  t.is(await page.locator('#plan-table tbody tr').count(), 2);
  await keep('basket.png');

  t.deepEqual(problems, [], 'no console errors or warnings');
});
