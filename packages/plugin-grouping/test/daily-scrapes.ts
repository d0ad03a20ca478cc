/**
 * Random daily scrapes of a few stores in price zones, for the history property tests: each day the
 * zones change some prices (a new price, or a special with the old price as was-price), and each
 * store is scraped or not, at its zone's prices with its own deviations and the products it left out.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { priceHistory } from '@trolley/core';
import { naiveHistories } from './price-changes.js';

export const STORES = 4;
export const PRODUCTS = 24;
export const ZONES = 2;

/** Mostly nothing; now and then one or two of `item`. */
export const rarely = <T>(item: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 3 }, { arbitrary: fc.array(item, { minLength: 1, maxLength: 2 }), weight: 1 });

/** One store's scrape of a day: its zone's prices, its own deviations, the products it left out; or not scraped. */
export const storeDay = fc.record({
  scraped: fc.integer({ min: 0, max: 3 }).map((x) => x > 0),
  zone: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: ZONES - 1 }), weight: 1 }),
  deviations: rarely(fc.record({ product: fc.nat(PRODUCTS - 1), cents: fc.integer({ min: 100, max: 900 }) })),
  missing: rarely(fc.nat(PRODUCTS - 1)),
});
export type StoreDayScrape = typeof storeDay extends fc.Arbitrary<infer T> ? T : never;

/** A day: each zone's changes, and each store's scrape. */
export const day = fc.record({
  zoneChanges: fc.array(fc.array(fc.record({ product: fc.nat(PRODUCTS - 1), cents: fc.integer({ min: 100, max: 900 }), special: fc.boolean() }), { maxLength: 4 }), { minLength: ZONES, maxLength: ZONES }),
  stores: fc.array(storeDay, { minLength: STORES, maxLength: STORES }),
});
export type Day = typeof day extends fc.Arbitrary<infer T> ? T : never;

interface Line {
  cents: number;
  was: number | null;
  special: boolean;
}

/**
 * How a line may be written on a day other than the plain way (the digest property test): with
 * blanks after the colons, with its metadata first, with its date written with blanks around it,
 * dated the next day (a scrape past midnight), after a line of the same product at another price
 * (the first line counts), or twice. Date quirks never touch a file's first line, which dates it.
 */
export const QUIRKS = ['spaces', 'order', 'date-blanks', 'next-date', 'duplicate-before', 'twice'] as const;
export interface Quirk {
  readonly day: number;
  readonly store: number;
  readonly product: number;
  readonly kind: (typeof QUIRKS)[number];
}

export const dateOf = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);

/** One store's file of a day. */
export interface DayFile {
  readonly store: number;
  readonly date: string;
  readonly file: string;
}

/**
 * Writes the files of `days` into `dir` (names start with `prefix`), one list per day. Zone prices
 * start equal across zones, so stores start able to merge; zones then drift. Day 0 every store is
 * scraped, so each has a history to share.
 */
export function writeDays(dir: string, prefix: string, days: readonly Day[], quirks: readonly Quirk[] = []): DayFile[][] {
  const zones: Line[][] = Array.from({ length: ZONES }, () => Array.from({ length: PRODUCTS }, (_, p) => ({ cents: 150 + 10 * p, was: null, special: false })));
  return days.map((today, d) => {
    const date = dateOf(d);
    for (const [z, changes] of today.zoneChanges.entries())
      for (const c of changes) {
        const old = zones[z]![c.product]!;
        zones[z]![c.product] = c.special && c.cents < old.cents ? { cents: c.cents, was: old.cents, special: true } : { cents: c.cents, was: null, special: false };
      }
    const files: DayFile[] = [];
    for (const [s, scrape] of today.stores.entries()) {
      if (!scrape.scraped && d > 0) continue;
      const prices = zones[scrape.zone]!.map((l) => ({ ...l }));
      for (const dev of scrape.deviations) prices[dev.product] = { cents: dev.cents, was: null, special: false };
      const missing = new Set(scrape.missing);
      const lines: string[] = [];
      prices.forEach((l, p) => {
        if (missing.has(p)) return;
        const kinds = new Set(quirks.filter((q) => q.day === d && q.store === s && q.product === p).map((q) => q.kind));
        const first = lines.length === 0;
        const product = { sku: `P${p}`, name: `Product ${p} ${100 + p}g`, brand: 'Brand', price_current: l.cents / 100, price_was: l.was === null ? null : l.was / 100, is_on_special: l.special };
        const lineDate = first ? date : kinds.has('next-date') ? dateOf(d + 1) : kinds.has('date-blanks') ? ` ${date} ` : date;
        const metadata = { company: 'aldi', store_id: `S${s}`, store_name: `Store ${s}`, scraped_date: lineDate };
        let line = kinds.has('order') ? JSON.stringify({ metadata, product }) : JSON.stringify({ product, metadata });
        if (kinds.has('spaces')) line = line.replace(/":/g, '": ').replace(/,"/g, ', "');
        if (kinds.has('duplicate-before')) lines.push(JSON.stringify({ product: { ...product, price_current: product.price_current + 0.5, price_was: null, is_on_special: false }, metadata }));
        lines.push(line);
        if (kinds.has('twice')) lines.push(line);
      });
      const file = path.join(dir, `${prefix}-S${s}-${date}.jsonl.gz`);
      fs.writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
      files.push({ store: s, date, file });
    }
    return files;
  });
}

/**
 * Every store × SKU history as the read path gives it (`priceHistory` of each product), and as the
 * naive per-store model computes it from the files: the keys that differ, with what each said.
 */
export async function historyDifferences(knex: Knex, files: readonly string[]): Promise<string[]> {
  const naive = new Map([...naiveHistories(files)].map(([key, events]) => [key, events.map((e) => `${e.date} ${e.price} ${e.was} ${e.special}`)]));
  const stores = new Map(((await knex.raw(`select s.id, c.name as company, s.store_id from stores s join companies c on c.id = s.company_id`)).rows as Array<{ id: string | number; company: string; store_id: string }>).map((r) => [Number(r.id), `${r.company} ${r.store_id}`]));
  const products = ((await knex.raw(`select product_id, sku from product_skus`)).rows as Array<{ product_id: string | number; sku: string }>).map((r) => [Number(r.product_id), r.sku] as const);
  const read = new Map<string, string[]>();
  for (const [product, sku] of products) {
    for (const c of await priceHistory(knex, product)) {
      const key = `${stores.get(c.storeId)}|${sku}`;
      read.set(key, [...(read.get(key) ?? []), `${c.date} ${c.price} ${c.wasPrice} ${c.isOnSpecial}`]);
    }
  }
  const keys = [...new Set([...naive.keys(), ...read.keys()])].sort();
  return keys.filter((k) => JSON.stringify(read.get(k) ?? []) !== JSON.stringify(naive.get(k) ?? [])).map((k) => `${k}: naive ${naive.get(k)?.join(', ')}; read ${read.get(k)?.join(', ')}`);
}
