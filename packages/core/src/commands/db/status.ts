import { TrolleyCommand } from '../../cli/base-command.js';
import { migrationStatus } from '../../db/migrations.js';

export interface DbStatusResult {
  database: string;
  kind: 'embedded' | 'postgres';
  serverVersion: string;
  applied: string[];
  pending: string[];
  orphaned: string[];
  upToDate: boolean;
}

export default class DbStatus extends TrolleyCommand<typeof DbStatus> {
  static override summary = 'Show which database trolley uses and which migrations are applied or pending.';
  static override examples = ['<%= config.bin %> db status', 'DATABASE_URL=postgres://127.0.0.1/trolley <%= config.bin %> db status --json'];

  async run(): Promise<DbStatusResult> {
    const kernel = await this.kernel();
    const knex = await kernel.database.knex();
    const status = await migrationStatus(knex, await kernel.migrations());
    const version = await knex.raw<{ rows: Array<{ server_version: string }> }>('show server_version');
    const result: DbStatusResult = {
      database: kernel.database.description,
      kind: kernel.database.kind,
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      applied: [...status.applied],
      pending: [...status.pending],
      orphaned: [...status.orphaned],
      upToDate: status.pending.length === 0,
    };
    this.log(`Database: ${result.database} (PostgreSQL ${result.serverVersion})`);
    this.log(`Applied:  ${result.applied.length} migration(s)${result.applied.map((m) => `\n  ${m}`).join('')}`);
    this.log(`Pending:  ${result.pending.length} migration(s)${result.pending.map((m) => `\n  ${m}`).join('')}`);
    if (result.orphaned.length > 0) this.log(`Applied by plugins no longer installed: ${result.orphaned.join(', ')}`);
    this.log(result.upToDate ? 'The schema is up to date.' : 'Run trolley db migrate to apply the pending migrations.');
    return result;
  }
}
