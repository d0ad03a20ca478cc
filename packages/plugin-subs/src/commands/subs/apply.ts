import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '@trolley/core';
import { readPairsFile } from '../../storage/pairs-file.js';
import { SubstitutionStore, type ApplyCounts } from '../../storage/substitution-store.js';
import { text } from '../../messages.js';

export interface SubsApplyResult {
  file: string;
  levels: number[];
  stored: ApplyCounts;
  dryRun: boolean;
}

export default class SubsApply extends TrolleyCommand<typeof SubsApply> {
  static override summary = 'Store the substitution pairs of a file written by subs generate --out.';
  static override description = text.applyDescription;
  static override examples = ['<%= config.bin %> subs apply pairs.jsonl', '<%= config.bin %> subs apply pairs.jsonl --dry-run --json'];
  static override args = { file: Args.string({ description: 'A pairs file written by trolley subs generate --out.', required: true }) };
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Report what storing would change, and change nothing.' }),
  };

  async run(): Promise<SubsApplyResult> {
    const { args } = await this.parse(SubsApply);
    const contents = await readPairsFile(args.file);
    const kernel = await this.kernel();
    const stored = await new SubstitutionStore(await kernel.knex()).apply(contents.pairs, contents.levels, { dryRun: this.flags['dry-run'] });
    if (stored.unknownProducts > 0) kernel.logger.warn({ file: args.file, unknownProducts: stored.unknownProducts }, text.unknownProducts(args.file, stored.unknownProducts));
    this.log(text.stored(stored, this.flags['dry-run']));
    return { file: args.file, levels: contents.levels, stored, dryRun: this.flags['dry-run'] };
  }
}
