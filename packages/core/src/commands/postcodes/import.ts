import { fileURLToPath } from 'node:url';
import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../../cli/base-command.js';
import { readPostcodeLines } from '../../stores/store-lines.js';
import { importPostcodes, type PostcodeImportReport } from '../../stores/store-registry.js';

/** The list that ships with trolley: 3,175 Australian postcodes with coordinates. */
export const BUNDLED_POSTCODES = fileURLToPath(new URL('../../../../data/postcodes-au.jsonl.gz', import.meta.url));

export default class PostcodesImport extends TrolleyCommand<typeof PostcodesImport> {
  static override summary = 'Load Australian postcodes with their coordinates (for stores near a postcode).';
  static override description = `Without FILE, the list that ships with trolley (3,175 postcodes). FILE is JSON Lines (optionally gzipped): postcode (four digits), state, latitude, longitude. The whole file is checked first; a postcode seen again is updated.`;
  static override examples = ['<%= config.bin %> postcodes import', '<%= config.bin %> postcodes import postcodes-au.jsonl.gz --json'];
  static override args = { file: Args.string({ description: 'A postcode list (.jsonl or .jsonl.gz); default: the bundled one.' }) };
  static override flags = { 'dry-run': Flags.boolean({ description: 'Check the file; write nothing.' }) };

  async run(): Promise<PostcodeImportReport & { file: string }> {
    const { args } = await this.parse(PostcodesImport);
    const file = args.file ?? BUNDLED_POSTCODES;
    const lines = await readPostcodeLines(file);
    const kernel = await this.kernel();
    const report = await importPostcodes(await kernel.knex(), lines, { dryRun: this.flags['dry-run'] });
    this.log(`${report.dryRun ? 'Dry run: would load' : 'Loaded'} ${report.postcodes.toLocaleString('en-AU')} postcode(s)${args.file ? '' : ' (the bundled list)'}.`);
    return { file, ...report };
  }
}
