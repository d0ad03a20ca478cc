/**
 * `<source>.progress` (docs/barcodes.md): JSON Lines, one finished record per line, keyed by SKU:
 * `{"sku", "outcome", "barcode", "via"?, "record"}` where `record` is the enriched record. Lines are
 * appended and fsync'd before the next page is fetched, so a run killed at any moment resumes
 * without losing or re-fetching finished work. A line torn by a kill (no line break yet) is cut
 * off when the file is opened again. Records finished while a sync is under way are written and
 * synced together (group commit), so many pages in flight cost one fsync, not one each.
 */

const write = promisify(fs.write);
const fdatasync = promisify(fs.fdatasync);
import fs from 'node:fs';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';

/** found/none: fetched; prefilled: barcode from the database; skipped: had a barcode or no page address. */
export type ProgressOutcome = 'found' | 'none' | 'prefilled' | 'skipped';

export interface ProgressEntry {
  readonly sku: string;
  readonly outcome: ProgressOutcome;
  readonly barcode: string | null;
  /** Where the barcode came from (`json-ld`, `next-data`, `next-data-route`, `sku`, `nnbs`) or why there is none. */
  readonly via?: string;
  readonly record: unknown;
}

export function progressFileOf(source: string): string {
  return `${source}.progress`;
}

export class ProgressFile {
  private fd: number | undefined;

  private constructor(
    readonly file: string,
    readonly entries: Map<string, ProgressEntry>,
  ) {}

  /** Reads what an earlier run finished (nothing if there was none) and repairs a torn last line. */
  static read(file: string): ProgressFile {
    const entries = new Map<string, ProgressEntry>();
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ProgressFile(file, entries);
      throw new InputError(`The progress file ${file} cannot be read (${(error as Error).message}); fix its permissions and run again.`, 'bad-progress', error);
    }
    const complete = bytes.lastIndexOf(0x0a) + 1;
    const progress = new ProgressFile(file, entries);
    progress.completeBytes = complete;
    progress.tornBytes = bytes.length - complete;
    bytes
      .subarray(0, complete)
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line === '') return;
        let entry: ProgressEntry;
        try {
          entry = JSON.parse(line) as ProgressEntry;
        } catch {
          throw new InputError(`${file}:${i + 1} is not JSON; remove that line (its record will be fetched again) and run again.`, 'bad-progress');
        }
        if (typeof entry?.sku !== 'string') throw new InputError(`${file}:${i + 1} has no sku; remove that line (its record will be fetched again) and run again.`, 'bad-progress');
        if (!entries.has(entry.sku)) entries.set(entry.sku, entry);
      });
    return progress;
  }

  /** Bytes of a torn last line found by {@link read} (cut off before the first append). */
  tornBytes = 0;
  private completeBytes = 0;

  /** Appends entries and makes them durable (one write, one fsync). */
  append(entries: readonly ProgressEntry[]): void {
    if (entries.length === 0) return;
    const fd = this.open();
    fs.writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    fs.fsyncSync(fd);
    for (const entry of entries) if (!this.entries.has(entry.sku)) this.entries.set(entry.sku, entry);
  }

  /**
   * Appends entries and resolves once they are durable. Entries committed while an earlier sync is
   * running go to disk together in the next write and sync.
   */
  commit(entries: readonly ProgressEntry[]): Promise<void> {
    this.queue.push(...entries);
    this.tail = this.tail.then(() => this.flushQueue());
    return this.tail;
  }

  private queue: ProgressEntry[] = [];
  private tail: Promise<void> = Promise.resolve();

  private async flushQueue(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    const fd = this.open();
    await write(fd, batch.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await fdatasync(fd);
    for (const entry of batch) if (!this.entries.has(entry.sku)) this.entries.set(entry.sku, entry);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    if (this.tornBytes > 0) {
      fs.truncateSync(this.file, this.completeBytes);
      this.tornBytes = 0;
    }
    this.fd = fs.openSync(this.file, 'a');
    return this.fd;
  }
}
