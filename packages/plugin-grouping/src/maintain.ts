/** `groups maintain`: memberships, phase 1 (health check), phase 2 (merge), with one report. */
import type { Knex } from 'knex';
import type { Logger, RetentionPolicy } from '@trolley/core';
import { withOptionalRollback } from './dry-run.js';
import { companyWindows } from './freshness.js';
import { healthCheck } from './health-check.js';
import type { MaintainContext, MaintainReport, MergeRecord } from './maintain-report.js';
import { ensureMemberships } from './membership.js';
import { mergePhase } from './merge-phase.js';
import { forgetVoidedNonMatches } from './non-matches.js';
import { rowsOf } from './sql.js';

export interface MaintainOptions {
  readonly freshnessDays: number;
  /** Reference date `YYYY-MM-DD` for freshness; default: each company's newest scrape. */
  readonly asOf?: string | undefined;
  readonly minOverlap: number;
  readonly policy: RetentionPolicy;
  readonly dryRun: boolean;
  /** The clock's now: remembered non-matches expire after 7 days of it. */
  readonly now: Date;
  readonly logger: Logger;
  readonly afterMerge?: (merge: MergeRecord) => void | Promise<void>;
}

export async function maintainGroups(knex: Knex, options: MaintainOptions): Promise<MaintainReport> {
  const started = process.hrtime.bigint();
  const report: MaintainReport = {
    dryRun: options.dryRun,
    retention: options.policy.id,
    minOverlap: options.minOverlap,
    freshnessDays: options.freshnessDays,
    windows: [],
    joined: 0,
    healthCheck: { judged: 0, healthy: 0, ejected: 0, anchorsFlagged: 0, notCurrent: 0, inconclusive: 0, comparisons: 0, comparedInFull: 0 },
    merge: { anchors: 0, naivePairs: 0, comparisons: 0, rounds: 0, merges: 0, fingerprintMerges: 0, nonMatchesRemembered: 0 },
    rows: { before: 0, after: 0, deleted: 0, restored: 0 },
    groups: { before: 0, after: 0 },
    merges: [],
    ejections: [],
    flags: [],
    seconds: 0,
  };
  await withOptionalRollback(knex, options.dryRun, async (db) => {
    report.joined = (await ensureMemberships(db)).joined;
    await forgetVoidedNonMatches(db, options.now);
    const windows = await companyWindows(db, { days: options.freshnessDays, asOf: options.asOf });
    report.windows = windows.map((w) => ({ company: w.company, reference: w.reference, cutoff: w.cutoff }));
    [report.rows.before, report.groups.before] = await counts(db);
    const ctx: MaintainContext = { minOverlap: options.minOverlap, policy: options.policy, now: options.now, logger: options.logger, windows, report, afterMerge: options.afterMerge };
    await healthCheck(db, ctx);
    await mergePhase(db, ctx);
    [report.rows.after, report.groups.after] = await counts(db);
  });
  report.seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
  return report;
}

async function counts(db: Knex): Promise<[number, number]> {
  // Current price facts: price rows and exclusion marks (maintain writes no history).
  const row = rowsOf<{ rows: number; groups: number }>(await db.raw('select ((select count(*) from prices) + (select count(*) from price_exclusions))::int as rows, (select count(*) from store_groups)::int as groups'))[0]!;
  return [row.rows, row.groups];
}
