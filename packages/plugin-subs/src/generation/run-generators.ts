/**
 * Runs the installed substitution generators of the chosen levels over the catalogue and merges
 * their pairs: one per unordered pair, at its strongest level (docs/substitutions.md). A generator that returns
 * something that is not a pair fails the run before anything is stored.
 */
import type { CatalogueProduct, GenerateOptions, Logger, SubstitutionGenerator, SubstitutionPair } from '@trolley/core';
import { pairProblem, strongestPerPair } from '../storage/pair-record.js';

export interface GeneratorRun {
  readonly id: string;
  readonly level: number;
  readonly pairs: number;
  readonly seconds: number;
}

export interface Generated {
  readonly pairs: SubstitutionPair[];
  readonly runs: GeneratorRun[];
  readonly levels: number[];
}

export class GeneratorError extends Error {}

export async function runGenerators(
  generators: ReadonlyArray<{ readonly id: string; readonly extension: SubstitutionGenerator }>,
  catalogue: readonly CatalogueProduct[],
  options: GenerateOptions,
  logger?: Logger,
): Promise<Generated> {
  const runs: GeneratorRun[] = [];
  const all: SubstitutionPair[] = [];
  for (const { id, extension } of generators) {
    const started = performance.now();
    const pairs = await extension.generate(catalogue, options);
    for (const pair of pairs) {
      const problem = pairProblem(pair) ?? (pair.level === extension.level ? undefined : `has level ${pair.level}, not the generator's level ${extension.level}`);
      if (problem) throw new GeneratorError(`Substitution generator ${id} returned a pair that ${problem} (${JSON.stringify(pair)}); nothing was stored: fix or uninstall that generator.`);
      all.push(pair);
    }
    const run = { id, level: extension.level, pairs: pairs.length, seconds: Math.round(performance.now() - started) / 1000 };
    logger?.info(run, `${id}: ${pairs.length.toLocaleString('en-AU')} pair(s) in ${run.seconds}s`);
    runs.push(run);
  }
  return { pairs: strongestPerPair(all), runs, levels: [...new Set(generators.map((g) => g.extension.level))].sort((a, b) => a - b) };
}
