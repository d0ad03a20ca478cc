/**
 * The exactness check of grouped storage: every store's resolved prices equal its last scrape file
 * as sets — the same products, and for each the file's price, was-price, special flag and scrape
 * date. Files are read independently of the importer.
 */
import type { Knex } from 'knex';
import { resolvedPrices } from '@trolley/core';
import { resolver } from './helpers.js';
import { readFirstRecords } from './scrape-records.js';

/** Mismatches between what each store reads and its last file (empty when every store reads exactly its file), and the pairs checked. */
export async function readsAgainstFiles(knex: Knex, lastFiles: readonly string[]): Promise<{ mismatches: string[]; checked: number }> {
  const mismatches: string[] = [];
  let checked = 0;
  for (const file of lastFiles) {
    const { company, storeId, scrapedDate, records } = await readFirstRecords(file);
    const rows = (await knex.raw(
      `select s.id as store, k.sku, k.product_id from stores s join companies c on c.id = s.company_id
       join product_skus k on k.company_id = c.id where c.name = ? and s.store_id = ?`,
      [company, storeId],
    )).rows as Array<{ store: string | number; sku: string; product_id: string | number }>;
    const store = Number(rows[0]!.store);
    const productOf = new Map(rows.map((r) => [r.sku, Number(r.product_id)]));
    const expected = new Map<number, string>();
    for (const [sku, r] of records) expected.set(productOf.get(sku)!, [r.price.toFixed(2), r.was === null ? null : Number(r.was).toFixed(2), r.special, scrapedDate].join('|'));
    const read = await resolvedPrices(knex, resolver(knex), [store]);
    const got = new Map(read.map((r) => [r.productId, [r.price, r.wasPrice, r.isOnSpecial, r.scrapedDate].join('|')]));
    for (const [product, value] of expected) {
      checked++;
      const r = got.get(product);
      if (r !== value) mismatches.push(`${company} ${storeId} product ${product}: file ${value}, read ${r ?? 'nothing'}`);
    }
    for (const [product, value] of got) if (!expected.has(product)) mismatches.push(`${company} ${storeId} product ${product}: not in the file, read ${value}`);
    if (read.some((r) => r.estimate)) mismatches.push(`${company} ${storeId}: estimates among its reads`);
  }
  return { mismatches, checked };
}

/** Rows that store price facts now: current rows and exclusion marks. */
export async function storedRows(knex: Knex): Promise<{ prices: number; exclusions: number; sharing: number }> {
  const r = (await knex.raw('select (select count(*) from prices)::int as prices, (select count(*) from price_exclusions)::int as exclusions, (select count(*) from price_sharing)::int as sharing')).rows[0];
  return { prices: r.prices, exclusions: r.exclusions, sharing: r.sharing };
}
