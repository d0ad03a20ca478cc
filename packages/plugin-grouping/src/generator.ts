/**
 * `groups` as a Generator extension, for `trolley pipeline`: `groups maintain` with its defaults
 * (freshness, minimum overlap, and the retention policy of TROLLEY_GROUPS_RETENTION or lossless).
 * Stage 100: bargains and other readers of resolved prices run after it.
 */
import type { DependencyContainer } from 'tsyringe';
import { Tokens, type Clock, type Database, type ExtensionRegistry, type Generator, type Logger } from '@trolley/core';
import { DEFAULT_MIN_OVERLAP } from './comparer.js';
import { DEFAULT_FRESHNESS, freshnessDays } from './freshness.js';
import { maintainGroups } from './maintain.js';
import type { MaintainReport } from './maintain-report.js';
import { messages } from './messages.js';
import { retentionName } from './retention-choice.js';

export const GROUPS_STAGE = 100;

export function groupsGenerator(container: DependencyContainer): Generator {
  return {
    id: 'groups',
    summary: 'store groups: health check, merges and price retention (groups maintain)',
    stage: GROUPS_STAGE,
    async run({ dryRun }) {
      const registry = container.resolve<ExtensionRegistry>(Tokens.Extensions);
      const policy = await registry.get('RetentionPolicy', retentionName(undefined), container);
      const report = await maintainGroups(await container.resolve<Database>(Tokens.Database).knex(), {
        freshnessDays: freshnessDays(DEFAULT_FRESHNESS),
        minOverlap: DEFAULT_MIN_OVERLAP,
        policy,
        dryRun,
        now: container.resolve<Clock>(Tokens.Clock).now(),
        logger: container.resolve<Logger>(Tokens.Logger),
      });
      return {
        summary: messages.maintainStep(report),
        counts: {
          groups: report.groups.after,
          merges: report.merge.merges,
          ejected: report.healthCheck.ejected,
          anchorsFlagged: report.healthCheck.anchorsFlagged,
          priceRowsBefore: report.rows.before,
          priceRowsAfter: report.rows.after,
          priceRowsDeleted: report.rows.deleted,
        },
        changes: maintainChanges(report),
      };
    },
  };
}

/** Rows a maintain run wrote: memberships, checks, flags, merges, remembered non-matches, price rows. */
export function maintainChanges(r: MaintainReport): number {
  return r.joined + r.healthCheck.judged + r.healthCheck.anchorsFlagged + r.merge.merges + r.merge.nonMatchesRemembered + r.rows.deleted + r.rows.restored;
}
