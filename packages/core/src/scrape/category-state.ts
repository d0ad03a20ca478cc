/**
 * `<record file>.progress` of `scrape products`: JSON Lines, one finished category per line
 * (`{"key", "name", "status", "pages", "reason"?, "products"}`), appended before the next category
 * is fetched (and fsync'd at most every quarter second, in the background, and on close). A rerun
 * of the same store and day skips the categories marked `done`
 * and fetches the rest again, so a kill costs at most the category that was being fetched. A line
 * torn by a kill is cut off when the file is opened again; a later line for a category replaces an
 * earlier one (a failed category that a rerun finished).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError, TrolleyError } from '../errors.js';
import type { CategoryOutcome, ListedProduct } from '../extensions/api.js';

export interface CategoryEntry {
  readonly key: string;
  readonly name: string;
  readonly status: 'done' | 'failed';
  readonly pages: number;
  readonly reason?: string;
  readonly products: readonly ListedProduct[];
}

/** Least time between two fsyncs of the state file. */
export const SYNC_EVERY_MS = 250;

export class CategoryState {
  private fd: number | undefined;
  private unsynced = false;
  private syncedAt = 0;
  /** The background fdatasync in flight, if any (the file is not closed under it). */
  private syncing: Promise<void> | undefined;
  private syncError: Error | undefined;

  private constructor(
    readonly file: string,
    /** The latest entry of each category, in the order categories were first finished. */
    readonly entries: Map<string, CategoryEntry>,
    private completeBytes: number,
    private tornBytes: number,
  ) {}

  static read(file: string): CategoryState {
    const entries = new Map<string, CategoryEntry>();
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new CategoryState(file, entries, 0, 0);
      throw new InputError(`The scrape state ${file} cannot be read (${(error as Error).message}); fix its permissions, or remove it to start the store again.`, 'bad-state', error);
    }
    const complete = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, complete).toString('utf8').split('\n');
    lines.forEach((line, i) => {
      if (line === '') return;
      let entry: CategoryEntry;
      try {
        entry = JSON.parse(line) as CategoryEntry;
      } catch {
        throw new InputError(`${file}:${i + 1} is not JSON; remove that line (its category will be fetched again) and run again.`, 'bad-state');
      }
      if (typeof entry?.key !== 'string' || !Array.isArray(entry.products)) {
        throw new InputError(`${file}:${i + 1} is not a category entry; remove that line (its category will be fetched again) and run again.`, 'bad-state');
      }
      entries.set(entry.key, entry);
    });
    return new CategoryState(file, entries, complete, bytes.length - complete);
  }

  /** Keys of the categories an earlier run finished. */
  done(): Set<string> {
    return new Set([...this.entries.values()].filter((e) => e.status === 'done').map((e) => e.key));
  }

  failed(): CategoryEntry[] {
    return [...this.entries.values()].filter((e) => e.status === 'failed');
  }

  /**
   * Appends a finished category: one write, which a killed process never loses (the data is the
   * kernel's once written). Against a machine crash the file is fsync'd too, at most every
   * {@link SYNC_EVERY_MS}, in the background (the crawl goes on while the disk catches up), and on
   * close: a store of hundreds of small categories would otherwise spend more time in fsync than in
   * fetching, and a crash then costs at most the categories of the last quarter second, fetched again.
   */
  record(outcome: CategoryOutcome): CategoryEntry {
    const entry: CategoryEntry = {
      key: outcome.category.key,
      name: outcome.category.name,
      status: outcome.status,
      pages: outcome.pages,
      ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
      products: outcome.products,
    };
    const fd = this.open();
    fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
    this.unsynced = true;
    if (this.syncing === undefined && Date.now() - this.syncedAt >= SYNC_EVERY_MS) this.syncInBackground(fd);
    this.entries.set(entry.key, entry);
    return entry;
  }

  private syncInBackground(fd: number): void {
    this.unsynced = false;
    this.syncedAt = Date.now();
    this.syncing = new Promise((resolve) =>
      fs.fdatasync(fd, (error) => {
        // Reported by close(), when the run ends: the crawl itself does not depend on the sync.
        if (error) this.syncError ??= error;
        this.syncing = undefined;
        resolve();
      }),
    );
  }

  /** The disk would not make the state durable: the run stops as incomplete, and a rerun resumes from what was saved. */
  private failedSync(error: Error): TrolleyError {
    return new TrolleyError(`The scrape state ${this.file} could not be saved to disk (${error.message}); fix the disk or free space, and run the same command again to resume.`, { code: 'state-not-saved', exit: 'incomplete', cause: error });
  }

  /** Waits for a background sync, makes every appended category durable (fdatasync) and closes the file. */
  async close(): Promise<void> {
    await this.syncing;
    if (this.fd !== undefined) {
      try {
        if (this.unsynced) fs.fdatasyncSync(this.fd);
      } finally {
        fs.closeSync(this.fd);
        this.fd = undefined;
      }
      this.unsynced = false;
    }
    if (this.syncError) throw this.failedSync(this.syncError);
  }

  async remove(): Promise<void> {
    await this.close();
    fs.rmSync(this.file, { force: true });
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    if (this.tornBytes > 0) {
      fs.truncateSync(this.file, this.completeBytes);
      this.tornBytes = 0;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.fd = fs.openSync(this.file, 'a');
    return this.fd;
  }
}
