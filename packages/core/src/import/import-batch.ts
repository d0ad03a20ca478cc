/**
 * Writes a batch of read files — each a different store — to the database in one transaction
 * (docs/import.md). Every file was read and checked whole before this runs, so a batch holds only whole
 * files: each is in the database entirely or not at all. Stale files are skipped and reported;
 * with `dryRun` the transaction is rolled back after counting. The batch does in one set-based pass
 * what importing its files one after another would do; one file is a batch of one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { Knex } from 'knex';
import { inTransaction } from '../db/transaction.js';
import { mergeCatalogue } from './catalogue-merge.js';
import type { FileReport, ImportOptions, ReadScrape } from './import-file.js';
import { readForImport } from './read-for-import.js';
import { mergePrices, selectPrices } from './price-merge.js';
import { firstDayStores, writeFirstDays } from './first-day.js';
import { lineCount, rejectsFileOf, type ScrapeFile } from './scrape-file.js';
import { RepeatedLinesRefused, repeatsTooLittleOf, stageRows } from './staging.js';
import { ledgerSizes, recordImportedFiles } from './imported-files.js';
import type { StoreRef } from './scrape-record.js';
import { markImported, resolveStores } from './store-resolution.js';
import { backfilledRows, backfillHistory, setAsideBackfills } from './backfill.js';
import { keepDigests, readDigest, rewriteDigests, usesDigest, validDigests } from './store-digest.js';

const NO_ROWS = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };

/** A file's report before anything is known of it: nothing counted. */
function emptyReport(file: string, dryRun: boolean) {
  return { file, rows: NO_ROWS, records: 0, duplicates: 0, newProducts: 0, barcodesAdded: 0, barcodesRejected: 0, barcodeConflicts: 0, history: 0, rejects: 0, dryRun };
}

/** The report of a file that cannot be imported, with the sentence saying why. */
export function failedReport(file: string, message: string, dryRun: boolean): Omit<FileReport, 'seconds'> {
  return { ...emptyReport(file, dryRun), mode: 'failed', message };
}

/** The report of a file skipped because its store has an import at least as new (docs/import.md step 2). */
export function staleReport(file: string, store: StoreRef, scrapedDate: string, lastScrapedDate: string, dryRun: boolean, backfill = false): Omit<FileReport, 'seconds'> {
  return {
    ...emptyReport(file, dryRun),
    mode: 'stale',
    company: store.company,
    store: store.storeId,
    scrapedDate,
    message: backfill
      ? `${file} is dated ${scrapedDate}, a day of ${store.company} store ${store.storeId} already imported; it was skipped and left in place (a backfill loads only days never imported).`
      : `${file} is dated ${scrapedDate}, not newer than the last import of ${store.company} store ${store.storeId} (${lastScrapedDate}); it was skipped and left in place (import --backfill loads an older day into price history).`,
  };
}

/**
 * Imports the files of `reads` (files that could not be read are reported as failed). Each file's
 * `seconds` is its reading time plus its share of the batch's database time.
 *
 * A file whose lines were taken from its store's digest without parsing them (./scrape-file.ts)
 * needs that digest to be still the store's (else the file is read again, every line parsed, before
 * anything is written), and its store to stay off the full path (else the batch is rolled back,
 * those files are read again with every line parsed, and the batch is written again).
 */
export async function importBatch(knex: Knex, reads: readonly ReadScrape[], options: ImportOptions = {}): Promise<FileReport[]> {
  let current = reads;
  for (;;) {
    try {
      return await writeBatch(knex, current, options);
    } catch (error) {
      if (!(error instanceof RepeatedLinesRefused)) throw error;
      // Each round reads the refused files with every line parsed, which no round refuses again.
      current = await Promise.all(
        current.map(async (read) => {
          if (!('scrape' in read) || !error.storeIds.has(refKeyOf(read.scrape.store))) return read;
          const reread = await readForImport(read.file, { ...options, parseEveryLine: true });
          return { ...reread, ms: reread.ms + read.ms };
        }),
      );
    }
  }
}

const refKeyOf = (store: StoreRef) => `${store.company}\u0000${store.storeId}`;

async function writeBatch(knex: Knex, reads: readonly ReadScrape[], options: ImportOptions): Promise<FileReport[]> {
  const started = performance.now();
  const dryRun = options.dryRun === true;
  const base = (file: string) => emptyReport(file, dryRun);
  const reports: Array<Omit<FileReport, 'seconds'>> = reads.map((read) => ('failure' in read ? failedReport(read.file, read.failure, dryRun) : { ...base(read.file), mode: 'full' }));
  const scrapes = reads.flatMap((read, index) => ('scrape' in read ? [{ index, scrape: read.scrape, bytes: read.bytes }] : []));
  const described = (scrape: ScrapeFile) => ({
    company: scrape.store.company,
    store: scrape.store.storeId,
    scrapedDate: scrape.scrapedDate,
    records: lineCount(scrape),
    rejects: scrape.rejects.length,
    barcodesRejected: scrape.rejectedBarcodes.length,
    ...(scrape.warnings.length > 0 ? { warnings: scrape.warnings } : {}),
  });
  const imported = new Set<number>();

  if (scrapes.length > 0) {
    await inTransaction(knex, dryRun, async (trx) => {
      // Sorts and hashes over a batch's rows fit in memory instead of spilling to disk.
      await trx.raw(`set local work_mem = '64MB'`);
      const stores = await resolveStores(trx, scrapes.map((s) => s.scrape.store));
      if (new Set(stores.map((s) => s.storeId)).size !== stores.length) throw new Error('an import batch must hold one file per store');
      // A complete file of the store's last day that is not the file imported for that day (another
      // size) is that day's newer scrape: a rerun that completed a partial one. It is imported.
      // With `backfill`, an older day never imported goes into history (./backfill.ts); the ledger says which days were.
      const backfill = options.backfill === true;
      const asked = scrapes.flatMap(({ scrape }, i) => {
        const last = stores[i]!.lastScrapedDate;
        return last !== null && (backfill ? scrape.scrapedDate <= last : !scrape.partial && last === scrape.scrapedDate) ? [{ storeId: stores[i]!.storeId, scrapedDate: scrape.scrapedDate }] : [];
      });
      const ledger = await ledgerSizes(trx, asked);
      const older: Array<{ index: number; scrape: ScrapeFile; bytes: number; store: (typeof stores)[number] }> = [];
      const live = scrapes.flatMap(({ index, scrape, bytes }, i) => {
        const store = stores[i]!;
        if (store.lastScrapedDate === null || scrape.scrapedDate > store.lastScrapedDate) return [{ index, scrape, bytes, store }];
        const imported = ledger.get(store.storeId);
        if (!scrape.partial && scrape.scrapedDate === store.lastScrapedDate && imported !== undefined && imported !== bytes) return [{ index, scrape, bytes, store }];
        if (backfill && scrape.scrapedDate < store.lastScrapedDate && imported === undefined) {
          older.push({ index, scrape, bytes, store });
          return [];
        }
        reports[index] = { ...staleReport(scrape.file, scrape.store, scrape.scrapedDate, store.lastScrapedDate, dryRun, backfill && imported !== undefined), ...described(scrape) };
        return [];
      });
      if (live.length > 0 || older.length > 0) {
        await keepDigests(trx);
        // With `digest`, a full file of a store whose digest is still the one it was read with stages
        // only its new and changed lines (./store-digest.ts); one whose repeated lines were taken
        // from a digest that is not sends the batch back to be read again (above).
        const valid = usesDigest(options) ? await validDigests(trx, live.filter((l) => !l.scrape.partial).map((l) => ({ storeId: l.store.storeId, scrapedDate: l.scrape.scrapedDate })), stores.map((s) => s.storeId)) : new Map<number, string>();
        const usable = (scrape: ScrapeFile, storeId: number) => !scrape.partial && scrape.digest !== undefined && valid.get(storeId) === scrape.digest.serial;
        // Nothing is written yet: such a file, or one that repeats too little of its digest to use it,
        // is read again here, every line parsed (the locks on the
        // batch's stores are held meanwhile, for the time one file's lines take to check).
        for (const entry of [...live, ...older]) {
          const { repeated, digest, rows } = entry.scrape;
          if (repeated === undefined || (usable(entry.scrape, entry.store.storeId) && !repeatsTooLittleOf({ digest: digest!, rows, repeated }))) continue;
          const again = await readForImport(entry.scrape.file, { ...options, parseEveryLine: true, digestOf: (store, date) => readDigest(trx, store, date, options.storeId) });
          if (!('scrape' in again)) throw new RepeatedLinesRefused([refKeyOf(entry.scrape.store)]);
          entry.scrape = again.scrape;
        }
        // A store on its first day skips the staged comparison: its rows are written straight (./first-day.ts).
        const firstDay = options.firstDay === false ? new Set<number>() : await firstDayStores(trx, live.map((l) => l.store.storeId));
        const files = [...live, ...older].map(({ index, scrape, store }) => ({
          fileNo: index,
          companyId: store.companyId,
          storeId: store.storeId,
          scrapedDate: scrape.scrapedDate,
          rows: scrape.rows,
          rawHashes: scrape.rawHashes,
          ...(usable(scrape, store.storeId) ? { digest: scrape.digest, repeated: scrape.repeated } : {}),
          storeKey: refKeyOf(scrape.store),
          firstDay: firstDay.has(store.storeId),
        }));
        const staged = await stageRows(trx, files, usesDigest(options));
        const catalogue = await mergeCatalogue(trx, older.map((o) => o.index));
        if (files.some((f) => f.digest !== undefined)) await staged.restage(await staged.offDigest());
        const first = await writeFirstDays(trx, staged.firstDay, staged.load);
        // The stores still on their digest, each with how many products its unchanged lines stand for.
        const onDigest = staged.onDigest();
        const kept = await selectPrices(trx, onDigest);
        if (older.length > 0) {
          await setAsideBackfills(trx, older.map((o) => o.store.storeId));
          for (const { store } of older) kept.delete(store.storeId);
        }
        const partial = new Set(live.filter((l) => l.scrape.partial).map((l) => l.store.storeId));
        // What a store whose digest is still its own reads now is its digest's products (what every
        // store reads is exactly its last full scrape): the 90% rule needs no count of its rows.
        const readsNow = new Map(files.flatMap((f) => (f.digest !== undefined && f.digest.size > 0 ? [[f.storeId, f.digest.size] as const] : [])));
        const prices = await mergePrices(trx, kept, partial, readsNow, onDigest);
        for (const [storeId, n] of first.kept) {
          kept.set(storeId, n);
          prices.set(storeId, { mode: partial.has(storeId) ? 'upsert' : 'full', inserted: n, updated: 0, unchanged: 0, deleted: 0, history: n });
        }
        await markImported(
          trx,
          live.map(({ scrape, store }) => ({ store, ref: scrape.store, scrapedDate: scrape.scrapedDate, fullSync: prices.get(store.storeId)!.mode === 'full' })),
        );
        await rewriteDigests(
          trx,
          live.map((l) => l.store.storeId),
          usesDigest(options) ? live.filter((l) => prices.get(l.store.storeId)!.mode === 'full').map((l) => ({ storeId: l.store.storeId, scrapedDate: l.scrape.scrapedDate })) : [],
          [...staged.unchanged(), ...first.entries],
          new Map(files.flatMap((f) => (f.digest !== undefined && onDigest.has(f.storeId) ? [[f.storeId, f.digest] as const] : []))),
        );
        await recordImportedFiles(
          trx,
          live.map(({ scrape, bytes, store }) => ({ store, file: scrape.file, scrapedDate: scrape.scrapedDate, bytes, records: lineCount(scrape) })),
        );
        // Last before the commit: a rejects file that cannot be written rolls the batch back.
        if (!dryRun) for (const { scrape } of live) if (scrape.rejects.length > 0) writeRejects(scrape);
        for (const { index, scrape, store } of live) {
          const { mode, history, ...rows } = prices.get(store.storeId)!;
          const duplicates = lineCount(scrape) - kept.get(store.storeId)!;
          const unchangedInDigest = onDigest.get(store.storeId);
          const unparsedInDigest = unchangedInDigest ? scrape.repeated?.length : undefined;
          reports[index] = {
            ...base(scrape.file),
            ...described(scrape),
            mode,
            rows,
            history,
            duplicates,
            ...catalogue(index),
            ...(unchangedInDigest ? { unchangedInDigest } : {}),
            ...(unparsedInDigest ? { unparsedInDigest } : {}),
          };
          imported.add(index);
        }
        // Backfills last, each on its own: the day joins the ledger first, as the store's history reads it.
        for (const { index, scrape, bytes, store } of older) {
          await recordImportedFiles(trx, [{ store, file: scrape.file, scrapedDate: scrape.scrapedDate, bytes, records: lineCount(scrape) }]);
          const history = await backfillHistory(trx, store.storeId, scrape.scrapedDate);
          const duplicates = lineCount(scrape) - (await backfilledRows(trx, store.storeId));
          reports[index] = { ...base(scrape.file), ...described(scrape), mode: 'backfill', history, duplicates, ...catalogue(index) };
          imported.add(index);
        }
        if (!dryRun) for (const { scrape } of older) if (scrape.rejects.length > 0) writeRejects(scrape);
      }
    });
  }

  const databaseShare = (performance.now() - started) / Math.max(1, scrapes.length) / 1000;
  return reports.map((report, index) => {
    const read = reads[index]!;
    const seconds = Math.round((read.ms / 1000 + ('scrape' in read ? databaseShare : 0)) * 1000) / 1000;
    if (!imported.has(index) || dryRun || !('scrape' in read) || read.scrape.rejects.length === 0) return { ...report, seconds };
    return { ...report, rejectsFile: rejectsFileOf(read.file), seconds };
  });
}

/**
 * Writes a file's rejected lines beside it, before its import commits: a rejects file that cannot
 * be written fails the file (the transaction rolls back), so no rejected line is ever lost.
 */
function writeRejects(scrape: ScrapeFile): void {
  const rejectsFile = rejectsFileOf(scrape.file);
  try {
    fs.writeFileSync(rejectsFile, scrape.rejects.map((r) => JSON.stringify({ line: r.lineNo, reason: r.reason, text: r.text })).join('\n') + '\n');
  } catch (error) {
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(
      `${path.basename(scrape.file)} has ${scrape.rejects.length} invalid line(s), but their rejects file ${rejectsFile} cannot be written (${cause}); make that place writable or move what is in the way, then import again (nothing of the file was imported).`,
      'rejects-unwritable',
      error,
    );
  }
}
