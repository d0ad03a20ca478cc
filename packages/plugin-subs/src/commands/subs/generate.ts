import { Flags } from '@oclif/core';
import { readCatalogue, Tokens, TrolleyCommand, UsageError, type ProgressReporter } from '@trolley/core';
import { runGenerators, type GeneratorRun } from '../../generation/run-generators.js';
import { writePairsFile } from '../../storage/pairs-file.js';
import { SubstitutionStore, type ApplyCounts } from '../../storage/substitution-store.js';
import { text } from '../../messages.js';

export interface SubsGenerateResult {
  products: number;
  levels: number[];
  generators: GeneratorRun[];
  pairs: number;
  /** The pairs file written instead of storing, with --out. */
  out?: string;
  /** What storing changed (or would change, with --dry-run). */
  stored?: ApplyCounts;
  dryRun: boolean;
}

export default class SubsGenerate extends TrolleyCommand<typeof SubsGenerate> {
  static override summary = 'Generate substitution pairs with the installed generators and store them.';
  static override description = text.generateDescription;
  static override examples = ['<%= config.bin %> subs generate', '<%= config.bin %> subs generate --levels 1,2 --dry-run --json', '<%= config.bin %> subs generate --out pairs.jsonl'];
  static override flags = {
    levels: Flags.string({ description: 'Comma-separated levels to run (default: every installed generator).' }),
    embedder: Flags.string({ description: 'Embedder for the semantic levels: an installed embedder id, or auto.', default: 'auto' }),
    out: Flags.string({ description: 'Write the pairs to this file instead of storing them (store it later with trolley subs apply).' }),
    'dry-run': Flags.boolean({ description: 'Report what storing would change, and change nothing.' }),
  };

  async run(): Promise<SubsGenerateResult> {
    const kernel = await this.kernel();
    const registry = await kernel.extensions();
    const installed = await registry.all('SubstitutionGenerator', kernel.container);
    const wanted = this.flags.levels === undefined ? undefined : parseLevels(this.flags.levels);
    const available = [...new Set(installed.map((g) => g.extension.level))].sort((a, b) => a - b);
    for (const level of wanted ?? []) if (!available.includes(level)) throw new UsageError(text.unknownLevel(level, available));
    const generators = installed.filter((g) => wanted === undefined || wanted.includes(g.extension.level)).map((g) => ({ id: g.entry.id, extension: g.extension }));

    const knex = await kernel.knex();
    // One line on a terminal while the levels run (LVL1 and LVL2 take seconds on a large catalogue).
    const task = kernel.container.resolve<ProgressReporter>(Tokens.Progress).start('subs generate', undefined, { quiet: true });
    let catalogue: Awaited<ReturnType<typeof readCatalogue>>;
    let generated: Awaited<ReturnType<typeof runGenerators>>;
    try {
      catalogue = await readCatalogue(knex);
      generated = await runGenerators(generators, catalogue, { embedder: this.flags.embedder }, kernel.logger);
    } finally {
      task.done();
    }
    const result: SubsGenerateResult = { products: catalogue.length, levels: generated.levels, generators: generated.runs, pairs: generated.pairs.length, dryRun: this.flags['dry-run'] };
    for (const run of generated.runs) this.log(text.generatorLine(run));
    if (this.flags.out !== undefined) {
      if (!this.flags['dry-run']) await writePairsFile(this.flags.out, generated);
      this.log(text.written(this.flags.out, generated.pairs.length, this.flags['dry-run']));
      return { ...result, out: this.flags.out };
    }
    const stored = await new SubstitutionStore(knex).apply(generated.pairs, generated.levels, { dryRun: this.flags['dry-run'] });
    this.log(text.stored(stored, this.flags['dry-run']));
    return { ...result, stored };
  }
}

function parseLevels(value: string): number[] {
  const levels = value.split(',').map((part) => part.trim().replace(/^lvl/i, ''));
  if (levels.some((l) => !/^\d+$/.test(l))) throw new UsageError(text.badLevels(value));
  return [...new Set(levels.map(Number))];
}
