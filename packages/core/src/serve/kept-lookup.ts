/**
 * Answers of a look-up by key, kept in the server's memory for its hot paths: which stores a
 * request names (`store_ids=1,aldi:G467` → database ids) and each store's pricing store. A product's
 * prices at 10 stores is then one statement, not three round trips to the database.
 *
 * How it stays current (docs/serve.md, "What the server keeps in memory"):
 * - a key not kept is looked up in the database on the request that asks for it (a store added
 *   while the server runs is known at once; a name that is no store is refused every time);
 * - at most every `refreshEveryMs`, a request starts a look-up of every kept key again in the
 *   background, which replaces the kept answers (a store removed, or moved to another pricing
 *   store, shows within that time); the answers in hand keep serving until it is done.
 * Prices themselves are never kept: every request reads them.
 */
import type { Logger } from 'pino';

export interface KeptLookupOptions {
  /** How often, at most, the kept answers are looked up again (ms). */
  readonly refreshEveryMs: number;
  /** Keys kept at most; past it, the kept answers are dropped and kept again as asked. */
  readonly most?: number;
  readonly logger?: Logger;
}

export class KeptLookup<K, V> {
  private kept = new Map<K, V>();
  private refreshing: Promise<void> | undefined;
  private refreshedAt = Date.now();
  private closed = false;

  constructor(
    private readonly lookUp: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly options: KeptLookupOptions,
  ) {}

  /** The answers for `keys` (a key the look-up does not answer is missing from the map). */
  async get(keys: readonly K[]): Promise<Map<K, V>> {
    this.refreshIfDue();
    const answers = new Map<K, V>();
    let missing: K[] | undefined;
    for (const key of keys) {
      const value = this.kept.get(key);
      if (value !== undefined) answers.set(key, value);
      else (missing ??= []).push(key);
    }
    if (missing === undefined) return answers;
    const found = await this.lookUp(missing);
    if (this.kept.size + found.size > (this.options.most ?? 20_000)) this.kept = new Map();
    for (const [key, value] of found) {
      this.kept.set(key, value);
      answers.set(key, value);
    }
    return answers;
  }

  /** Waits for a refresh in progress (so the database can close under none). */
  async close(): Promise<void> {
    this.closed = true;
    await this.refreshing;
  }

  private refreshIfDue(): void {
    if (this.refreshing !== undefined || this.closed || Date.now() - this.refreshedAt < this.options.refreshEveryMs) return;
    this.refreshedAt = Date.now();
    this.refreshing = this.refresh().finally(() => (this.refreshing = undefined));
  }

  private async refresh(): Promise<void> {
    const keys = [...this.kept.keys()];
    if (keys.length === 0) return;
    try {
      const found = await this.lookUp(keys);
      if (!this.closed) this.kept = new Map(found);
    } catch (error) {
      // The answers in hand keep serving; the next refresh tries again.
      this.options.logger?.warn({ err: error }, 'the server could not look up its kept store answers again');
    }
  }
}
