import { Flags } from '@oclif/core';
import { Tokens, TrolleyCommand, type Clock, type ProgressReporter } from '@trolley/core';
import { DEFAULT_MIN_OVERLAP } from '../../comparer.js';
import { DEFAULT_FRESHNESS, freshnessDays, parseAsOf } from '../../freshness.js';
import { maintainGroups } from '../../maintain.js';
import type { MaintainReport } from '../../maintain-report.js';
import { messages } from '../../messages.js';
import { RETENTION_ENV, retentionName } from '../../retention-choice.js';

export default class GroupsMaintain extends TrolleyCommand<typeof GroupsMaintain> {
  static override summary = 'Health-check store groups, merge groups that price alike, and thin out duplicate price rows.';
  static override description = `Phase 1 compares every member that has a new scrape with its anchor: a match keeps it (and the retention policy runs on it), a mismatch ejects it into a group of its own, and a stale anchor is flagged for re-scrape instead. Phase 2, per company, merges groups whose anchors match (at least --min-overlap common current products, 98% of them at the same price): the smaller group moves into the larger. Candidate pairs come from price signatures, so not every pair of anchors is compared; non-matches are remembered for 7 days unless either anchor is scraped again. Each merge is its own transaction (groups with identical prices merge in one): an interrupted run is completed by the next one. Freshness counts back from each company's newest scrape (or --as-of). The retention policy is --retention, else ${RETENTION_ENV}, else lossless.`;
  static override examples = ['<%= config.bin %> groups maintain', '<%= config.bin %> groups maintain --dry-run --retention aggressive --json', '<%= config.bin %> groups maintain --freshness 7d --min-overlap 100'];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Do the whole run in a transaction that is rolled back: report what would change (and be deleted), change nothing.' }),
    freshness: Flags.string({ description: 'How far back a scrape counts as current pricing (hours or days: 72h, 3d).', default: DEFAULT_FRESHNESS }),
    'as-of': Flags.string({ description: "Reference date (YYYY-MM-DD) the freshness window ends at; default: each company's newest scrape date." }),
    'min-overlap': Flags.integer({ description: 'Common current products two stores need before they can match.', default: DEFAULT_MIN_OVERLAP, min: 1 }),
    retention: Flags.string({ description: `Retention policy for confirmed members: lossless, aggressive, keep, or one a plugin adds (default: ${RETENTION_ENV} or lossless).` }),
  };

  async run(): Promise<MaintainReport> {
    const days = freshnessDays(this.flags.freshness);
    const asOf = parseAsOf(this.flags['as-of']);
    const kernel = await this.kernel();
    const registry = await kernel.extensions();
    const policy = await registry.get('RetentionPolicy', retentionName(this.flags.retention), kernel.container);
    const knex = await kernel.knex();
    // One line on a terminal while the groups are checked and merged (a minute at scale).
    const task = kernel.container.resolve<ProgressReporter>(Tokens.Progress).start('groups maintain', undefined, { quiet: true });
    const report = await maintainGroups(knex, {
      freshnessDays: days,
      asOf,
      minOverlap: this.flags['min-overlap'],
      policy,
      dryRun: this.flags['dry-run'] === true,
      now: kernel.container.resolve<Clock>(Tokens.Clock).now(),
      logger: kernel.logger,
    }).finally(() => task.done());
    for (const line of messages.maintain(report)) this.log(line);
    return report;
  }
}
