import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { readStoreLines } from '../../stores/store-lines.js';
import { importStores, type StoreImportReport } from '../../stores/store-registry.js';

export default class StoresImport extends TrolleyCommand<typeof StoresImport> {
  static override summary = 'Import a store list (locations) into the store registry.';
  static override description = `FILE is JSON Lines (optionally gzipped), one store a line: company, store_id, name, suburb, state, postcode, latitude, longitude (numbers or numeric text; 0,0 means unknown). The whole file is checked first: a bad line stops the import with its line number and nothing is written. Stores are matched by company and store id, so a store imported from a scrape and one from the list are one store; a store seen again gets its location updated.`;
  static override examples = ['<%= config.bin %> stores import stores-2025-09-28.jsonl.gz', '<%= config.bin %> stores import my-stores.jsonl --dry-run --json'];
  static override args = { file: Args.string({ description: 'The store list (.jsonl or .jsonl.gz).', required: true }) };
  static override flags = { 'dry-run': Flags.boolean({ description: 'Check the file and count what would change; write nothing.' }) };

  async run(): Promise<StoreImportReport & { file: string }> {
    const { args } = await this.parse(StoresImport);
    const lines = await readStoreLines(args.file);
    const kernel = await this.kernel();
    const report = await importStores(await kernel.knex(), lines, { dryRun: this.flags['dry-run'] });
    const companies = Object.entries(report.companies).map(([company, n]) => `${company} ${n.toLocaleString('en-AU')}`).join(', ');
    this.log(
      `${report.dryRun ? 'Dry run: would import' : 'Imported'} ${report.stores.toLocaleString('en-AU')} store(s) from ${path.basename(args.file)} (${companies}): ${report.inserted.toLocaleString('en-AU')} new, ${report.updated.toLocaleString('en-AU')} updated, ${report.withCoordinates.toLocaleString('en-AU')} with coordinates.`,
    );
    return { file: args.file, ...report };
  }
}
