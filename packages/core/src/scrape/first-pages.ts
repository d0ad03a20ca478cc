/**
 * The first pages of a fetch decide whether the run is pointed at the right place. When every one of
 * the first pages fails (a wrong `--base-url` answers 404 everywhere, a host that refuses every
 * connection), the run stops at once with nothing recorded, instead of fetching thousands of pages
 * to write a file without a single barcode and remove its source.
 *
 * Pages that answered "not found" are a normal outcome once the run has shown it reaches product
 * pages; until then they are held back (not written to the progress file), so a stopped run leaves
 * no "finished" record behind that a rerun would trust.
 */
import type { BarcodeOutcome } from '../extensions/api.js';

/** Pages looked at before a run is trusted; a run with fewer pages than this looks at all of them. */
export const FIRST_PAGES = 10;
/** Runs with fewer pages to fetch are never stopped: two missing products are not a pattern. */
export const LEAST_PAGES_TO_JUDGE = 3;

export type Verdict = 'commit' | 'hold' | 'stop';

export class FirstPagesWatch<T> {
  private readonly sample: number;
  private trusted: boolean;
  private seen = 0;
  private readonly held: T[] = [];
  private readonly reasons = new Map<string, number>();

  constructor(pages: number) {
    this.sample = Math.min(FIRST_PAGES, pages);
    this.trusted = pages < LEAST_PAGES_TO_JUDGE;
  }

  /**
   * What to do with one outcome: `commit` it (and whatever {@link release} returns), `hold` it until
   * the run is trusted, or `stop` the run (the sample failed whole).
   */
  observe(outcome: BarcodeOutcome, entry: T): Verdict {
    if (this.trusted) return 'commit';
    this.seen++;
    const failure = failureOf(outcome);
    if (failure === undefined) {
      this.trusted = true;
      return 'commit';
    }
    this.reasons.set(failure, (this.reasons.get(failure) ?? 0) + 1);
    if (outcome.status !== 'failed') this.held.push(entry);
    return this.seen >= this.sample ? 'stop' : 'hold';
  }

  /** Entries held back while the run was on probation, once it is trusted (each given once). */
  release(): T[] {
    return this.trusted ? this.held.splice(0) : [];
  }

  /** The sample's failures, most common first: `404 not found (10)`. */
  describe(): string {
    return [...this.reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${reason} (${n})`)
      .join(', ');
  }

  get pagesSeen(): number {
    return this.seen;
  }
}

/** Why a page gave nothing, or undefined when the page was a product page (with or without a barcode). */
function failureOf(outcome: BarcodeOutcome): string | undefined {
  if (outcome.status === 'failed') return outcome.reason.replace(/https?:\/\/\S+/g, '').trim() || 'failed';
  if (outcome.status === 'none' && /^not-found/.test(outcome.reason)) return outcome.reason;
  return undefined;
}
