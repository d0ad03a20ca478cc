/**
 * Price changes and naive per-store histories computed from scrape files alone, independently of
 * the importer: what the storage must cost and what the history read must say.
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A store's file: `company store` → SKU → the line's price facts (first line per SKU). */
export interface StoreDay {
  readonly store: string;
  readonly date: string;
  readonly facts: Map<string, Facts>;
}

export interface Facts {
  readonly price: string;
  readonly was: string | null;
  readonly special: boolean;
  /** Every price fact of the line (price, was, special, unit price and unit, availability), as one string. */
  readonly all: string;
}

const money = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v).toFixed(2));

export function readStoreDay(file: string): StoreDay {
  const facts = new Map<string, Facts>();
  let store = '';
  let date = '';
  for (const line of gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const { product, metadata } = JSON.parse(line) as { product: Record<string, unknown>; metadata: { company: string; store_id: string | number; scraped_date: string } };
    store ||= `${metadata.company.toLowerCase()} ${metadata.store_id}`;
    date ||= metadata.scraped_date;
    const sku = String(product.sku);
    if (facts.has(sku)) continue;
    const priceFields = Object.keys(product)
      .filter((k) => /price|special|unit|avail|stock/.test(k) && k !== 'price_hash')
      .sort()
      .map((k) => `${k}=${JSON.stringify(product[k])}`);
    facts.set(sku, { price: money(product.price_current)!, was: money(product.price_was), special: product.is_on_special === true, all: priceFields.join(',') });
  }
  return { store, date, facts };
}

/** Prices that differ between two days of the same stores: changed, new or gone (store × product). */
export async function changedPrices(before: readonly string[], after: readonly string[]): Promise<number> {
  const old = new Map(before.map(readStoreDay).map((d) => [d.store, d.facts]));
  let changed = 0;
  for (const day of after.map(readStoreDay)) {
    const was = old.get(day.store) ?? new Map<string, Facts>();
    for (const [sku, f] of day.facts) if (was.get(sku)?.all !== f.all) changed++;
    for (const sku of was.keys()) if (!day.facts.has(sku)) changed++;
  }
  return changed;
}

/** One change event of a naive per-store history: the first day a store showed these values. */
export interface NaiveChange {
  readonly date: string;
  readonly price: string;
  readonly was: string | null;
  readonly special: boolean;
}

/**
 * The naive change-only history of every store × SKU over days of files (each store's files in
 * date order): an event whenever the price, was-price or special flag differs from the last event.
 */
export function naiveHistories(files: readonly string[]): Map<string, NaiveChange[]> {
  const days = files.map(readStoreDay).sort((a, b) => a.date.localeCompare(b.date));
  const histories = new Map<string, NaiveChange[]>();
  for (const day of days) {
    for (const [sku, f] of day.facts) {
      const key = `${day.store}|${sku}`;
      const events = histories.get(key) ?? [];
      const last = events[events.length - 1];
      if (!last || last.price !== f.price || last.was !== f.was || last.special !== f.special) events.push({ date: day.date, price: f.price, was: f.was, special: f.special });
      histories.set(key, events);
    }
  }
  return histories;
}
