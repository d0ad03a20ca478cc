import { Flags } from '@oclif/core';
import { tableFlags, TrolleyCommand } from '@trolley/core';
import { companyNamed } from '../../companies.js';
import { summariseGroups, type GroupsOverview } from '../../group-summary.js';
import { ensureMemberships } from '../../membership.js';

export default class GroupsShow extends TrolleyCommand<typeof GroupsShow> {
  static override summary = 'List store groups: anchor, stores, stored rows and rows saved.';
  static override description =
    'Rows saved are the price rows members read through their anchor instead of storing them. Stores imported since the last groups command first join a group of their own.';
  static override examples = ['<%= config.bin %> groups show', '<%= config.bin %> groups show --company aldi --json', '<%= config.bin %> groups show --members --csv'];
  static override flags = {
    ...tableFlags,
    company: Flags.string({ description: 'Only this company (case-insensitive).' }),
    members: Flags.boolean({ description: 'List the stores of each group, one row per store (anchor first), instead of one row per group. The JSON lists them in every group as `members`.' }),
  };

  async run(): Promise<GroupsOverview> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    const company = this.flags.company === undefined ? undefined : await companyNamed(knex, this.flags.company);
    await ensureMemberships(knex);
    const overview = await summariseGroups(knex, { company });
    const n = (x: number) => x.toLocaleString('en-AU');
    if (this.flags.members) {
      await this.logTable(
        ['COMPANY', 'GROUP', 'STORE', 'ROLE'],
        overview.groups.flatMap((g) => [g.anchor, ...g.members.filter((m) => m !== g.anchor)].map((code) => [g.company, String(g.groupId ?? '-'), code, code === g.anchor ? 'anchor' : 'member'])),
        { csv: this.flags.csv },
      );
      return overview;
    }
    await this.logTable(
      ['COMPANY', 'GROUP', 'ANCHOR', 'SCRAPED', 'STORES', 'ANCHOR ROWS', 'MEMBER ROWS', 'EXCLUSIONS', 'HISTORY', 'ROWS SAVED', 'RE-SCRAPE'],
      overview.groups.map((g) => [g.company, String(g.groupId ?? '-'), `${g.anchor}${g.anchorName ? ` ${g.anchorName}` : ''}`, g.anchorScraped ?? 'never', n(g.stores), n(g.anchorRows), n(g.memberRows), n(g.exclusionRows), n(g.historyRows), n(g.rowsSaved), g.flaggedForRescrape ? 'yes' : '']),
      { csv: this.flags.csv },
    );
    // CSV is the table alone, for a spreadsheet; the totals are in --json.
    if (this.flags.csv) return overview;
    const t = overview.totals;
    this.log(
      `${n(t.groups)} group(s) of ${n(t.stores)} store(s): ${n(t.anchorRows + t.memberRows + t.exclusionRows + t.historyRows)} rows store price facts (${n(t.anchorRows + t.memberRows)} current, ${n(t.exclusionRows)} exclusion marks, ${n(t.historyRows)} history), ${n(t.rowsSaved)} saved.`,
    );
    return overview;
  }
}
