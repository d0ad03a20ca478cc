import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { migrateToLatest, migrationStatus } from '../../db/migrations.js';

export interface DbMigrateResult {
  database: string;
  applied: string[];
  pending: string[];
  dryRun: boolean;
}

export default class DbMigrate extends TrolleyCommand<typeof DbMigrate> {
  static override summary = 'Create or upgrade the database schema (the core and every installed plugin).';
  static override description =
    'Runs every pending migration in order: the core first, then each plugin by name. Commands that need the schema also migrate on their own unless TROLLEY_AUTO_MIGRATE=0.';
  static override examples = ['<%= config.bin %> db migrate', '<%= config.bin %> db migrate --dry-run --json'];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'List the pending migrations without running them.' }),
  };

  async run(): Promise<DbMigrateResult> {
    const kernel = await this.kernel();
    const knex = await kernel.database.knex();
    const migrations = await kernel.migrations();
    const dryRun = this.flags['dry-run'];
    const { pending } = await migrationStatus(knex, migrations);
    const applied = dryRun || pending.length === 0 ? [] : await migrateToLatest(knex, migrations);
    const database = kernel.database.description;
    if (pending.length === 0) this.log(`The schema of ${database} is up to date.`);
    else if (dryRun) this.log(`${pending.length} migration(s) would run on ${database}:\n${pending.map((m) => `  ${m}`).join('\n')}`);
    else this.log(`Applied ${applied.length} migration(s) to ${database}:\n${applied.map((m) => `  ${m}`).join('\n')}`);
    return { database, applied, pending: dryRun ? [...pending] : [], dryRun };
  }
}
