/** The typed result of `groups maintain` (its --json output) and the context its phases share. */
import type { Knex } from 'knex';
import type { Logger, RetentionPolicy } from '@trolley/core';
import type { CompanyWindow } from './freshness.js';

export interface MergeRecord {
  readonly company: string;
  /** `fingerprint`: identical current prices, no comparison needed; `compared`: the comparer matched. */
  readonly via: 'fingerprint' | 'compared';
  readonly survivorGroup: number;
  readonly survivorAnchor: number;
  readonly loserGroup: number;
  readonly moved: readonly number[];
  readonly rowsRestored: number;
  readonly rowsDeleted: number;
}

export interface EjectionRecord {
  readonly company: string;
  readonly storeId: number;
  readonly fromGroup: number;
  readonly anchor: number;
  readonly overlap: number;
  readonly equal: number;
  readonly newGroup: number;
}

export interface FlagRecord {
  readonly company: string;
  readonly anchor: number;
  readonly group: number;
  /** The current member the stale anchor could not vouch for. */
  readonly member: number;
}

export interface MaintainReport {
  dryRun: boolean;
  retention: string;
  minOverlap: number;
  freshnessDays: number;
  windows: Array<{ company: string; reference: string | null; cutoff: string | null }>;
  joined: number;
  healthCheck: {
    /** Members with a scrape newer than their last check. */
    judged: number;
    healthy: number;
    ejected: number;
    anchorsFlagged: number;
    /** Members without current pricing. */
    notCurrent: number;
    /** Fewer common current products than --min-overlap: not judged, checked again after their next scrape. */
    inconclusive: number;
    comparisons: number;
    /**
     * Of the comparisons, those that read the member's whole range: members that do not read their
     * anchor's rows. A member that does is compared by its own rows and exclusion marks alone.
     */
    comparedInFull: number;
  };
  merge: {
    /** Anchors with current pricing (and at least --min-overlap current rows) at the start of phase 2. */
    anchors: number;
    /** Pairs a naive all-pairs comparison would run: Σ n(n−1)/2 per company. */
    naivePairs: number;
    comparisons: number;
    rounds: number;
    merges: number;
    fingerprintMerges: number;
    nonMatchesRemembered: number;
  };
  rows: { before: number; after: number; deleted: number; restored: number };
  groups: { before: number; after: number };
  merges: MergeRecord[];
  ejections: EjectionRecord[];
  flags: FlagRecord[];
  seconds: number;
}

export interface MaintainContext {
  readonly minOverlap: number;
  readonly policy: RetentionPolicy;
  readonly now: Date;
  readonly logger: Logger;
  readonly windows: readonly CompanyWindow[];
  readonly report: MaintainReport;
  /** Called after each merge has committed (a test stops a run there to check crash safety). */
  readonly afterMerge?: ((merge: MergeRecord) => void | Promise<void>) | undefined;
}

export type Db = Knex;
