/**
 * The whole cycle (docs/commands.md `pipeline`): import the inbox, then every installed Generator extension
 * in stage order (store groups, substitutions, bargains, and whatever a plugin adds). Each step
 * commits its own work; a failed step stops the cycle there, names itself, and leaves the steps
 * before it committed. The report says what each step did and whether anything changed at all.
 */
import type { Knex } from 'knex';
import type { DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import type { ProgressReporter } from '../context/progress.js';
import { DEFAULT_GENERATOR_STAGE, type Generator } from '../extensions/api.js';
import type { ExtensionRegistry } from '../extensions/registry.js';
import { isTrolleyError, ExitCode } from '../errors.js';
import type { FirstLines } from '../import/file-order.js';
import { importFiles } from '../import/import-files.js';
import { importChanges, importTotals, type ImportTotals } from '../import/import-totals.js';
import { pipelineText as text } from './pipeline-text.js';
import { storeIdForms } from '../scrape/scraper-lookup.js';

export interface PipelineStep {
  /** `import`, or the id of the Generator extension. */
  readonly step: string;
  readonly status: 'done' | 'failed';
  /** One line for people. */
  readonly summary: string;
  readonly seconds: number;
  readonly counts: Readonly<Record<string, number>>;
  /** Rows the step wrote or deleted; null when its generator cannot tell. */
  readonly changes: number | null;
}

export interface PipelineRun {
  readonly steps: PipelineStep[];
  /** The step that failed (the cycle stopped there), or null. */
  readonly failed: { readonly step: string; readonly message: string; readonly exitCode: number } | null;
  /** False when no step changed a row; null when a generator could not tell. */
  readonly changed: boolean | null;
  readonly import: ImportTotals;
}

export interface PipelineParts {
  readonly knex: Knex;
  readonly registry: ExtensionRegistry;
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  /** Import batches at once (2 on a server, 1 on the embedded database). */
  readonly jobs: number;
  /** Import with store digests (TROLLEY_IMPORT_DIGEST, docs/import.md); on unless false. */
  readonly digest?: boolean;
  /** First lines of `files` already read while ordering them (import/file-order.ts). */
  readonly firstLines?: FirstLines;
  /** Called as each step ends, so the command can print it while the next one runs. */
  readonly onStep?: (step: PipelineStep) => void;
}

/** The installed generators in the order the pipeline runs them. */
export async function pipelineGenerators(registry: ExtensionRegistry, container: DependencyContainer): Promise<Array<{ id: string; generator: Generator }>> {
  const all = await registry.all('Generator', container);
  return all
    .map(({ entry, extension }) => ({ id: entry.id, generator: extension }))
    .sort((a, b) => (a.generator.stage ?? DEFAULT_GENERATOR_STAGE) - (b.generator.stage ?? DEFAULT_GENERATOR_STAGE) || a.id.localeCompare(b.id));
}

export async function runPipeline(files: readonly string[], parts: PipelineParts): Promise<PipelineRun> {
  const steps: PipelineStep[] = [];
  const record = (step: PipelineStep) => {
    steps.push(step);
    parts.onStep?.(step);
  };
  const finish = (failed: PipelineRun['failed'], totals: ImportTotals): PipelineRun => ({
    steps,
    failed,
    changed: steps.some((s) => s.changes !== null && s.changes > 0) ? true : steps.every((s) => s.changes === 0) ? false : null,
    import: totals,
  });

  // Step 1: the inbox.
  let started = performance.now();
  const task = parts.progress.start('import', files.length, { quiet: true });
  let totals: ImportTotals;
  try {
    const reports = await importFiles(parts.knex, files, {
      jobs: parts.jobs,
      ...(parts.digest === undefined ? {} : { digest: parts.digest }),
      ...(parts.firstLines ? { firstLines: parts.firstLines } : {}),
      canonicalStoreId: await storeIdForms(parts.registry, parts.container),
      onFile(report) {
        task.tick();
        if (report.mode === 'failed') parts.logger.error({ file: report.file }, report.message);
      },
    });
    totals = importTotals(reports);
    const failed = reports.filter((r) => r.mode === 'failed');
    record({ step: 'import', status: failed.length > 0 ? 'failed' : 'done', summary: text.importStep(totals), seconds: secondsSince(started), counts: { ...totals }, changes: importChanges(totals) });
    if (failed.length > 0) {
      const first = failed[0]!.message ?? failed[0]!.file;
      return finish({ step: 'import', message: text.importFailed(failed.length, files.length, first), exitCode: ExitCode.input }, totals);
    }
  } catch (error) {
    totals = importTotals([]);
    record({ step: 'import', status: 'failed', summary: 'failed', seconds: secondsSince(started), counts: {}, changes: null });
    return finish(failure('import', error), totals);
  } finally {
    task.done();
  }

  // Then every generator, in stage order.
  for (const { id, generator } of await pipelineGenerators(parts.registry, parts.container)) {
    started = performance.now();
    parts.logger.debug({ step: id }, `pipeline: ${id} (${generator.summary})`);
    // A generator that reports no progress of its own still shows that it is working, and for how long.
    const step = parts.progress.start(id, undefined, { quiet: true });
    try {
      const report = await generator.run({ dryRun: false });
      step.done();
      record({ step: id, status: 'done', summary: report.summary, seconds: secondsSince(started), counts: { ...report.counts }, changes: report.changes ?? null });
    } catch (error) {
      step.done();
      record({ step: id, status: 'failed', summary: 'failed', seconds: secondsSince(started), counts: {}, changes: null });
      return finish(failure(id, error), totals);
    }
  }
  return finish(null, totals);
}

function failure(step: string, error: unknown): NonNullable<PipelineRun['failed']> {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { step, message, exitCode: isTrolleyError(error) ? error.exitCode : ExitCode.internal };
}

function secondsSince(started: number): number {
  return Math.round(performance.now() - started) / 1000;
}
