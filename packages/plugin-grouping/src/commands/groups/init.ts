import { Flags } from '@oclif/core';
import { TrolleyCommand } from '@trolley/core';
import { withOptionalRollback } from '../../dry-run.js';
import { initGroups, type InitReport } from '../../membership.js';
import { messages } from '../../messages.js';

export default class GroupsInit extends TrolleyCommand<typeof GroupsInit> {
  static override summary = 'Put every store that has no group into a group of its own.';
  static override description =
    'Idempotent: stores already in a group stay where they are. --reset dissolves every group first (in the same transaction), after writing back to each member the anchor rows it reads, so no store reads different prices afterwards. Every groups command does the same for stores imported since, so running this is needed only to start over.';
  static override examples = ['<%= config.bin %> groups init', '<%= config.bin %> groups init --reset --dry-run --json'];
  static override flags = {
    reset: Flags.boolean({ description: 'Dissolve all groups and start again from one group per store.' }),
    'dry-run': Flags.boolean({ description: 'Report what would change, and change nothing.' }),
  };

  async run(): Promise<InitReport> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const dryRun = this.flags['dry-run'] === true;
    const report = { ...(await withOptionalRollback(knex, dryRun, (db) => initGroups(db, { reset: this.flags.reset === true }))), dryRun };
    this.log(messages.init(report));
    return report;
  }
}
