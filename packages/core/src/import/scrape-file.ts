/**
 * Reads and checks a whole scrape file before anything is written (docs/import.md step 1): every line is
 * validated, and the file must be one store's scrape of one day. Without `skipInvalid` the first
 * bad line fails the file; with it, bad lines become rejects.
 */
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InputError } from '../errors.js';
import type { ImportRow, LineVerdict, RecordOptions, StoreRef } from './scrape-record.js';
import { checkLine, checkLineBytes } from './scrape-line.js';
import { bomLength, fileLines, scrapeLines, wholeBytes } from './scrape-lines.js';
import { RawLineHasher, rawSeed, type RawEntry, type StoreDigest } from './store-digest.js';

export interface Reject {
  readonly lineNo: number;
  readonly reason: string;
  readonly text: string;
}

export interface ScrapeFile {
  readonly file: string;
  readonly store: StoreRef;
  readonly scrapedDate: string;
  readonly rows: ImportRow[];
  readonly rejects: Reject[];
  /** The scraper marked the file partial (`metadata.partial`): its import only upserts, whatever its size. */
  readonly partial: boolean;
  /** Lines whose barcode had a wrong check digit: imported without a barcode. */
  readonly rejectedBarcodes: Array<{ lineNo: number; barcode: string }>;
  /** What the user asked to let through and should hear about (bytes replaced in invalid UTF-8). */
  readonly warnings: string[];
  /** With {@link ReadOptions.digestOf}: the store's digest as it was when the file was read. */
  readonly digest?: StoreDigest | undefined;
  /**
   * With the digest, for a file read whole: each row's raw hash (hi, lo at 2i, 2i + 1 for `rows[i]`;
   * 0, 0 for a row that has none), kept in the next digest.
   */
  readonly rawHashes?: Int32Array | undefined;
  /**
   * The lines found byte for byte in {@link digest} (./store-digest.ts): not parsed, not in `rows`.
   * The import uses them only if that digest is still the store's; if not, it reads the file again
   * with every line parsed.
   */
  readonly repeated?: readonly RepeatedLine[] | undefined;
}

/** A line that repeats the store's last full scrape byte for byte (its date aside). */
export interface RepeatedLine {
  readonly lineNo: number;
  readonly entry: RawEntry;
}

export interface ReadOptions extends RecordOptions {
  readonly skipInvalid?: boolean;
  /** Replace bytes that are not UTF-8 with U+FFFD (with a warning) instead of refusing the file. */
  readonly replaceInvalidUtf8?: boolean;
  /**
   * The usable digest of a store for a file of a date (./store-digest.ts), asked once the file's first
   * record names its store: lines it holds byte for byte are not parsed (unless `parseEveryLine`).
   */
  readonly digestOf?: ((store: StoreRef, scrapedDate: string) => Promise<StoreDigest | undefined>) | undefined;
  /** Parse every line even when a digest holds it (the import's second read when the digest changed meanwhile). */
  readonly parseEveryLine?: boolean | undefined;
}

/** Lines checked between two turns of the event loop. */
const YIELD_LINES = 500;

export async function readScrapeFile(file: string, options: ReadOptions = {}): Promise<ScrapeFile> {
  const name = path.basename(file);
  const rows: ImportRow[] = [];
  const rejects: Reject[] = [];
  const rejectedBarcodes: Array<{ lineNo: number; barcode: string }> = [];
  let first: { store: StoreRef; scrapedDate: string; lineNo: number } | undefined;
  let partial = false;
  let lines = 0;
  let firstDate = '';
  const warnings: string[] = [];
  const onReplaced = (lineNo: number) => warnings.push(`${name}: bytes that are not UTF-8 were replaced with U+FFFD, from line ${lineNo} on.`);
  /** Takes a line; true when it became a row. */
  const take = (lineNo: number, text: string): boolean => text.trim() !== '' && accept(lineNo, checkLine(text, lineNo, options), text);
  /** Takes a line's verdict (`text`: the line, for a reject); true when it became a row. */
  const accept = (lineNo: number, verdict: LineVerdict, text: string): boolean => {
    lines++;
    if (!verdict.ok) {
      if (!options.skipInvalid) throw new InputError(`${name} line ${lineNo} ${verdict.reason}; fix the line, or import the rest with --skip-invalid.`, 'invalid-line');
      rejects.push({ lineNo, reason: verdict.reason, text });
      return false;
    }
    if (!first) {
      first = { store: verdict.store, scrapedDate: verdict.scrapedDate, lineNo };
      firstDate = verdict.scrapedDate;
    } else if (verdict.store.company !== first.store.company || verdict.store.storeId !== first.store.storeId) {
      throw new InputError(
        `${name} line ${lineNo} names store ${verdict.store.company} ${verdict.store.storeId}, but line ${first.lineNo} names ${first.store.company} ${first.store.storeId}; a scrape file holds one store: split the file by store.`,
        'mixed-stores',
      );
    } else if (verdict.scrapedDate !== first.scrapedDate) {
      // A scrape may run past midnight (a real IGA file does): the file is dated by its earliest
      // line, and its lines may span two consecutive days, no more.
      const earliest = verdict.scrapedDate < first.scrapedDate ? verdict.scrapedDate : first.scrapedDate;
      const latest = verdict.scrapedDate < first.scrapedDate ? first.scrapedDate : verdict.scrapedDate;
      if (daysBetween(earliest, latest) > 1) {
        throw new InputError(
          `${name} line ${lineNo} is dated ${verdict.scrapedDate}, but line ${first.lineNo} is dated ${first.scrapedDate}; a scrape file holds one scrape (at most two consecutive days): split the file by date.`,
          'mixed-dates',
        );
      }
      firstDate = firstDate < verdict.scrapedDate ? firstDate : verdict.scrapedDate;
    }
    partial ||= verdict.partial;
    rows.push(verdict.row);
    if (verdict.rejectedBarcode !== undefined) rejectedBarcodes.push({ lineNo, barcode: verdict.rejectedBarcode });
    return true;
  };
  // With a digest: the store's digest, asked once the first record names the store.
  let digest: StoreDigest | undefined;
  let asked = false;
  const askDigest = async () => {
    if (asked || !first || !options.digestOf) return;
    asked = true;
    digest = await options.digestOf(first.store, first.scrapedDate);
  };
  // A sound file comes whole and its lines are taken in a plain loop (no promise per line), letting
  // the event loop run every YIELD_LINES lines: the database's answers to the import's batches
  // must not wait for a whole file's checks. With a digest, a line is first hashed from its bytes:
  // one the store's digest holds is not decoded, parsed or checked (./store-digest.ts).
  const bytes = options.digestOf ? await wholeBytes(file) : undefined;
  const raw = { hashes: [] as number[], repeated: [] as RepeatedLine[] };
  if (bytes !== undefined) {
    const hash = new Int32Array(2);
    let hasher: RawLineHasher | undefined;
    let lineNo = 0;
    for (let start = bomLength(bytes); start < bytes.length; ) {
      const newline = bytes.indexOf(10, start);
      const next = newline === -1 ? bytes.length : newline + 1;
      const end = newline === -1 ? (bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length) : newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline;
      lineNo++;
      let hashed = hasher !== undefined && hasher.hash(start, end, hash);
      const entry = hashed && digest !== undefined && !options.parseEveryLine ? digest.byBytes(hash[0]!, hash[1]!) : undefined;
      if (entry !== undefined) {
        lines++;
        raw.repeated.push({ lineNo, entry });
      } else {
        const barcodesBefore = rejectedBarcodes.length;
        // A line repeating a product text already checked is not decoded (./scrape-line.ts); such
        // a verdict is always a row, so no line text is kept for a reject.
        const known = checkLineBytes(bytes, start, end, lineNo, options);
        if (known !== undefined ? accept(lineNo, known, '') : take(lineNo, bytes.toString('utf8', start, end))) {
          if (hasher === undefined) {
            hasher = new RawLineHasher(bytes, Buffer.from(first!.scrapedDate), rawSeed(first!.store, options.storeId));
            hashed = hasher.hash(start, end, hash);
          }
          // A line whose barcode was refused is reported each time: it is always parsed.
          const kept = hashed && rejectedBarcodes.length === barcodesBefore;
          raw.hashes.push(kept ? hash[0]! : 0, kept ? hash[1]! : 0);
        }
        if (!asked && first) await askDigest();
      }
      start = next;
      if (lineNo % YIELD_LINES === 0) await nextTurn();
    }
  } else {
    const numbered = await fileLines(file, { replaceInvalidUtf8: options.replaceInvalidUtf8, onReplaced });
    if (Symbol.iterator in numbered) {
      let taken = 0;
      for (const { lineNo, text } of numbered) {
        take(lineNo, text);
        if (!asked && first) await askDigest();
        if (++taken % YIELD_LINES === 0) await nextTurn();
      }
    } else
      for await (const { lineNo, text } of numbered) {
        take(lineNo, text);
        if (!asked && first) await askDigest();
      }
  }
  if (lines === 0) throw new InputError(`${name} has no records (the file is empty); re-scrape the store or remove the file.`, 'empty-file');
  if (!first) throw new InputError(`${name} has no valid record: all ${lines} line(s) were rejected (first: line ${rejects[0]?.lineNo} ${rejects[0]?.reason}).`, 'no-valid-lines');
  const read = { file, store: first.store, scrapedDate: firstDate, rows, rejects, partial, rejectedBarcodes, warnings };
  if (options.digestOf === undefined) return read;
  // A partial file is only upserted, never compared with the digest: every line parsed.
  if (partial && raw.repeated.length > 0) return readScrapeFile(file, { ...options, parseEveryLine: true });
  return {
    ...read,
    digest,
    ...(bytes !== undefined ? { rawHashes: Int32Array.from(raw.hashes) } : {}),
    ...(raw.repeated.length > 0 ? { repeated: raw.repeated } : {}),
  };
}

/** The lines of a read file: its rows and the lines repeated from its store's digest. */
export const lineCount = (scrape: ScrapeFile) => scrape.rows.length + (scrape.repeated?.length ?? 0);

/** How far {@link storeNamedIn} looks for a line naming the store. */
const STORE_SEARCH_LINES = 1_000;

/**
 * The store a file names, read loosely (the first JSON line with a company and a store id), for a
 * file that failed: its later files of that store are held back. Undefined when no line says.
 */
export async function storeNamedIn(file: string, options: ReadOptions = {}): Promise<StoreRef | undefined> {
  let seen = 0;
  try {
    // Loosely: bytes that are not UTF-8 (the reason the file failed, perhaps) must not hide the store.
    for await (const { text } of scrapeLines(file, { replaceInvalidUtf8: true })) {
      if (++seen > STORE_SEARCH_LINES) break;
      let metadata: unknown;
      try {
        metadata = (JSON.parse(text) as { metadata?: unknown })?.metadata;
      } catch {
        continue;
      }
      if (typeof metadata !== 'object' || metadata === null) continue;
      const { company, store_id: storeId } = metadata as Record<string, unknown>;
      const id = typeof storeId === 'string' || typeof storeId === 'number' ? String(storeId).trim() : options.storeId;
      if (typeof company === 'string' && company.trim() !== '' && id) {
        const named = company.trim().toLowerCase();
        return { company: named, storeId: options.canonicalStoreId?.(named, id) ?? id, storeName: null, state: null };
      }
    }
  } catch {
    // An unreadable file names no store.
  }
  return undefined;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

/** The file the rejects of `file` are written to, beside it: `x.jsonl.gz` → `x.rejects.jsonl`. */
export function rejectsFileOf(file: string): string {
  return file.replace(/\.jsonl(\.gz)?$/i, '') + '.rejects.jsonl';
}
