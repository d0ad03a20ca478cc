import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFiles, priceHistory } from '@trolley/core';
import { groupingDatabase, maintain } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';
const STORES = 4;
const PRODUCTS = 24;
const ZONES = 2;

/** One store's scrape of a day: its zone's prices, its own deviations, the products it left out; or not scraped. */
/** Mostly nothing; now and then one or two of `item`. */
const rarely = <T>(item: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 3 }, { arbitrary: fc.array(item, { minLength: 1, maxLength: 2 }), weight: 1 });
/** One store's scrape of a day: its zone's prices, its own deviations, the products it left out; or not scraped. */
const storeDay = fc.record({
  scraped: fc.integer({ min: 0, max: 3 }).map((x) => x > 0),
  zone: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: ZONES - 1 }), weight: 1 }),
  deviations: rarely(fc.record({ product: fc.nat(PRODUCTS - 1), cents: fc.integer({ min: 100, max: 900 }) })),
  missing: rarely(fc.nat(PRODUCTS - 1)),
});
/** A day: each zone's changes (price, or a special with the old price as was-price), and each store's scrape. */
const day = fc.record({
  zoneChanges: fc.array(fc.array(fc.record({ product: fc.nat(PRODUCTS - 1), cents: fc.integer({ min: 100, max: 900 }), special: fc.boolean() }), { maxLength: 4 }), { minLength: ZONES, maxLength: ZONES }),
  stores: fc.array(storeDay, { minLength: STORES, maxLength: STORES }),
});

interface Line {
  cents: number;
  was: number | null;
  special: boolean;
}

const dateOf = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);

test(`property: over random daily scrapes with joins, ejections and merges, each store's history read equals its naive per-store history (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-history-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let shared = 0;
  let ended = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 3, maxLength: 6 }), async (days) => {
      run++;
      const knex = await groupingDatabase(t);
      // Zone prices start equal across zones, so stores start able to merge; zones then drift.
      const zones: Line[][] = Array.from({ length: ZONES }, () => Array.from({ length: PRODUCTS }, (_, p) => ({ cents: 150 + 10 * p, was: null, special: false })));
      const naive = new Map<string, string[]>();
      for (const [d, today] of days.entries()) {
        const date = dateOf(d);
        for (const [z, changes] of today.zoneChanges.entries())
          for (const c of changes) {
            const old = zones[z]![c.product]!;
            zones[z]![c.product] = c.special && c.cents < old.cents ? { cents: c.cents, was: old.cents, special: true } : { cents: c.cents, was: null, special: false };
          }
        const files: string[] = [];
        for (const [s, scrape] of today.stores.entries()) {
          // Day 0 every store is scraped, so each has a history to share.
          if (!scrape.scraped && d > 0) continue;
          const prices = zones[scrape.zone]!.map((l) => ({ ...l }));
          for (const dev of scrape.deviations) prices[dev.product] = { cents: dev.cents, was: null, special: false };
          const missing = new Set(scrape.missing);
          const lines: string[] = [];
          prices.forEach((l, p) => {
            if (missing.has(p)) return;
            lines.push(
              JSON.stringify({
                product: { sku: `P${p}`, name: `Product ${p} ${100 + p}g`, brand: 'Brand', price_current: l.cents / 100, price_was: l.was === null ? null : l.was / 100, is_on_special: l.special },
                metadata: { company: 'aldi', store_id: `S${s}`, store_name: `Store ${s}`, scraped_date: date },
              }),
            );
            const key = `S${s}|P${p}`;
            const events = naive.get(key) ?? [];
            const event = `${(l.cents / 100).toFixed(2)} ${l.was === null ? null : (l.was / 100).toFixed(2)} ${l.special}`;
            if (events.length === 0 || events[events.length - 1]!.slice(11) !== event) events.push(`${date} ${event}`);
            naive.set(key, events);
          });
          const file = path.join(dir, `run${run}-S${s}-${date}.jsonl.gz`);
          fs.writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
          files.push(file);
        }
        await importFiles(knex, files);
        await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10 });
      }
      const stores = new Map(((await knex.raw(`select id, store_id from stores`)).rows as Array<{ id: string | number; store_id: string }>).map((r) => [Number(r.id), r.store_id]));
      const products = ((await knex.raw(`select product_id, sku from product_skus`)).rows as Array<{ product_id: string | number; sku: string }>).map((r) => [Number(r.product_id), r.sku] as const);
      const read = new Map<string, string[]>();
      for (const [product, sku] of products) {
        for (const c of await priceHistory(knex, product)) {
          const key = `${stores.get(c.storeId)}|${sku}`;
          read.set(key, [...(read.get(key) ?? []), `${c.date} ${c.price} ${c.wasPrice} ${c.isOnSpecial}`]);
        }
      }
      const keys = [...new Set([...naive.keys(), ...read.keys()])].sort();
      const differ = keys.filter((k) => JSON.stringify(read.get(k) ?? []) !== JSON.stringify(naive.get(k) ?? []));
      if (differ.length > 0) throw new Error(`${differ.length} histories differ, e.g. ${differ.slice(0, 3).map((k) => `${k}: naive ${naive.get(k)?.join(', ')}; read ${read.get(k)?.join(', ')}`).join(' | ')}`);
      const periods = (await knex.raw(`select count(*)::int as n, count(to_date)::int as ended from history_periods`)).rows[0] as { n: number; ended: number };
      if (periods.n > 0) shared++;
      if (periods.ended > 0) ended++;
      return true;
    }),
    { numRuns: 8, seed: 14, endOnFailure: true },
  );
  // The runs exercised sharing: members read their anchor's history, and some stopped or moved.
  t.true(shared >= run / 2, `${shared} of ${run} runs shared history`);
  t.true(ended >= 1, `${ended} runs ended a period (an ejection or a merge)`);
});
