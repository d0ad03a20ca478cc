import test from 'ava';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { importFiles } from '@trolley/core';
import { day, historyDifferences, PRODUCTS, rarely, STORES, writeDays, type DayFile } from './daily-scrapes.js';
import { groupingDatabase, maintain, REAL } from './helpers.js';

const database = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Everything a backfill must leave as it was: current prices, stores' dates, groups, sharing, the ledger's last file. */
async function untouched(knex: Knex): Promise<string> {
  const queries = [
    `select store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date::text from prices order by 1, 2`,
    `select id, last_scraped_date::text, full_scraped_date::text, name from stores order by 1`,
    `select group_id, store_id from store_group_members order by 1, 2`,
    `select * from price_sharing order by 1`,
    `select * from price_exclusions order by 1, 2`,
    `select store_id, source_store_id, from_date::text, to_date::text from history_periods order by 1, 3`,
    `select store_id, max(scraped_date)::text from imported_files group by store_id order by 1`,
  ];
  const parts: string[] = [];
  for (const q of queries) parts.push(JSON.stringify((await knex.raw(q)).rows));
  return parts.join('\n');
}

async function historyRows(knex: Knex): Promise<number> {
  const row = (await knex.raw(`select (select count(*) from price_history)::int + (select count(*) from price_history_skips)::int as n`)).rows[0] as { n: number };
  return row.n;
}

test(`property: days imported later with --backfill, in any order, give every store the naive per-store history of all its files, and change nothing else (${database})`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trolley-backfill-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  let backfilled = 0;
  let intoPeriods = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(day, { minLength: 3, maxLength: 6 }),
      // Each store's range: the products it never lists (a backfill cannot know which products a
      // past file listed, docs/import.md "Backfill", so a store's range holds still here).
      fc.array(rarely(fc.nat(PRODUCTS - 1)), { minLength: STORES, maxLength: STORES }),
      // Which files (after day 0) are held back, and the order they come back in.
      fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      async (generated, ranges, held, order) => {
        run++;
        const days = generated.map((d) => ({ ...d, stores: d.stores.map((s, i) => ({ ...s, missing: ranges[i]! })) }));
        const knex = await groupingDatabase(t);
        const written = writeDays(dir, `run${run}`, days);
        let n = 0;
        const later: Array<DayFile & { key: number }> = [];
        for (const [d, files] of written.entries()) {
          const now: DayFile[] = [];
          for (const f of files) {
            if (d > 0 && held[n++ % held.length]) later.push({ ...f, key: order[later.length % order.length]! });
            else now.push(f);
          }
          if (now.length === 0) continue;
          await importFiles(
            knex,
            now.map((f) => f.file),
          );
          const date = now[0]!.date;
          await maintain(knex, { asOf: date, now: new Date(`${date}T12:00:00Z`), minOverlap: 10 });
        }
        for (const file of later.sort((a, b) => a.key - b.key)) {
          const before = await untouched(knex);
          const inPeriod = (await knex.raw(
            `select count(*)::int as n from history_periods hp join stores s on s.id = hp.store_id
             where s.store_id = ? and ?::date > hp.from_date and (hp.to_date is null or ?::date <= hp.to_date)`,
            [`S${file.store}`, file.date, file.date],
          )).rows[0] as { n: number };
          const [report] = await importFiles(knex, [file.file], { backfill: true });
          if (report!.mode === 'backfill') {
            backfilled++;
            if (inPeriod.n > 0) intoPeriods++;
            const after = await untouched(knex);
            if (after !== before) throw new Error(`backfilling ${path.basename(file.file)} changed current prices, dates, groups or the ledger's last file`);
            // The same file again writes nothing.
            const rows = await historyRows(knex);
            const [again] = await importFiles(knex, [file.file], { backfill: true });
            if (again!.mode !== 'stale' || (await historyRows(knex)) !== rows) throw new Error(`backfilling ${path.basename(file.file)} again was ${again!.mode}, not stale, or wrote history`);
          } else if (report!.mode !== 'full' && report!.mode !== 'upsert') throw new Error(`${path.basename(file.file)} was ${report!.mode}: ${report!.message}`);
        }
        const differ = await historyDifferences(
          knex,
          written.flat().map((f) => f.file),
        );
        if (differ.length > 0) throw new Error(`${differ.length} histories differ, e.g. ${differ.slice(0, 3).join(' | ')}`);
        return true;
      },
    ),
    { numRuns: 10, seed: 18, endOnFailure: true },
  );
  // The runs backfilled days, some inside a store's group membership.
  t.true(backfilled >= run, `${backfilled} backfills over ${run} runs`);
  t.true(intoPeriods >= 1, `${intoPeriods} backfills into a membership period`);
});

test(`the real G147 files (09-09, 09-12, 09-22): either older day backfilled after the other two gives the naive history of all three (${database})`, async (t) => {
  const days = ['2025-09-09', '2025-09-12', '2025-09-22'].map((d) => `${REAL}aldi/aldi-aldi-store-g147-g147-${d}.jsonl.gz`);
  for (const later of [0, 1]) {
    const knex = await groupingDatabase(t);
    await importFiles(
      knex,
      days.filter((_, i) => i !== later),
    );
    const before = await untouched(knex);
    const [report] = await importFiles(knex, [days[later]!], { backfill: true });
    t.is(report!.mode, 'backfill');
    t.true(report!.history > 0);
    t.is(await untouched(knex), before);
    t.deepEqual(await historyDifferences(knex, days), [], `day ${later} backfilled`);
  }
});
