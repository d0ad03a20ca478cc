/** What the grouping commands say to people: kept apart from the code that decides. */
import type { InitReport } from './membership.js';
import type { MaintainReport } from './maintain-report.js';
import type { NextStores } from './scrape-queue.js';

const n = (x: number) => x.toLocaleString('en-AU');

export const messages = {
  badFreshness: (text: string) => `--freshness "${text}" is not a duration; give hours or days like 72h or 3d.`,
  badAsOf: (text: string) => `--as-of "${text}" is not a date; give it as YYYY-MM-DD.`,
  unknownCompany: (company: string, known: readonly string[]) =>
    `No company named "${company}" is in the database; ${known.length > 0 ? `use one of ${known.join(', ')}` : 'import some scrape files first (trolley import PATH)'}.`,

  init(report: InitReport): string {
    const verb = report.dryRun ? 'Dry run: would' : 'Done:';
    if (report.reset)
      return `${verb} ${report.dryRun ? 'dissolve' : 'dissolved'} ${n(report.groupsBefore)} group(s), ${report.dryRun ? 'write' : 'wrote'} back ${n(report.rowsRestored)} price row(s) that members read through their anchors, and ${report.dryRun ? 'put' : 'put'} each of ${n(report.stores)} store(s) in a group of its own.`;
    return `${verb} ${n(report.joined)} store(s) ${report.dryRun ? 'would join' : 'joined'} a group of their own; ${n(report.groupsAfter)} group(s) for ${n(report.stores)} store(s).`;
  },

  maintain(r: MaintainReport): string[] {
    const prefix = r.dryRun ? 'Dry run (nothing was changed): ' : '';
    const h = r.healthCheck;
    const m = r.merge;
    return [
      `${prefix}freshness ${r.freshnessDays} day(s) back from ${r.windows.map((w) => `${w.company} ${w.reference ?? 'never scraped'}`).join(', ') || 'no company'}; retention ${r.retention}; min overlap ${r.minOverlap}.`,
      `Health check: ${n(h.judged)} member(s) with a new scrape: ${n(h.healthy)} healthy, ${n(h.ejected)} ejected, ${n(h.anchorsFlagged)} stale anchor(s) flagged for re-scrape, ${n(h.notCurrent)} without current prices, ${n(h.inconclusive)} with too few common products.`,
      `Merge: ${n(m.merges)} merge(s) (${n(m.fingerprintMerges)} on identical prices) after ${n(m.comparisons)} comparison(s) in ${n(m.rounds)} round(s) among ${n(m.anchors)} current anchor(s) (all pairs would be ${n(m.naivePairs)}); ${n(m.nonMatchesRemembered)} non-match(es) remembered.`,
      `Groups ${n(r.groups.before)} → ${n(r.groups.after)}; price rows ${n(r.rows.before)} → ${n(r.rows.after)} (${n(r.rows.deleted)} deleted by retention, ${n(r.rows.restored)} written back to moved members) in ${r.seconds} s.`,
    ];
  },

  /** The one line `trolley pipeline` shows for its groups step. */
  maintainStep(r: MaintainReport): string {
    return `${n(r.groups.after)} store group(s) (${n(r.merge.merges)} merge(s), ${n(r.healthCheck.ejected)} member(s) ejected, ${n(r.healthCheck.anchorsFlagged)} anchor(s) flagged); retention ${r.retention}: price rows ${n(r.rows.before)} → ${n(r.rows.after)}.`;
  },

  next(result: NextStores): string {
    if (result.stores.length === 0) return 'No store to hand out: every store was handed out in the last 4 hours, or there is none.';
    return `Handed out ${result.stores.length} store(s) until ${result.until}.`;
  },
};
