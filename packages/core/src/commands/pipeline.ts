import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import { Tokens } from '../context/tokens.js';
import type { ProgressReporter } from '../context/progress.js';
import { ExitCode, UsageError } from '../errors.js';
import { orderByScrapedDate, type FirstLines } from '../import/file-order.js';
import { findScrapeFilesIn, nothingFound } from '../import/find-scrape-files.js';
import { pipelineFigures, type PipelineFigures } from '../pipeline/pipeline-figures.js';
import { runPipeline, type PipelineRun, type PipelineStep } from '../pipeline/run-pipeline.js';
import { ensureSampleInbox, PIPELINE_SAMPLE, PIPELINE_SAMPLE_FILES } from '../pipeline/sample-inbox.js';
import { pipelineText as text } from '../pipeline/pipeline-text.js';

export interface PipelineResult {
  inbox: string;
  /** Set with --sample: whether this run wrote the sample or found it from an earlier run. */
  sample?: { dir: string; written: boolean; files: number };
  steps: PipelineStep[];
  failed: PipelineRun['failed'];
  changed: boolean | null;
  figures: PipelineFigures;
  seconds: number;
}

export default class Pipeline extends TrolleyCommand<typeof Pipeline> {
  static override summary = 'Run the whole cycle: import the inbox, maintain store groups, generate substitutions, generate bargains.';
  static override description = text.description;
  static override examples = ['<%= config.bin %> pipeline --sample', '<%= config.bin %> pipeline --inbox scrapes/', '<%= config.bin %> pipeline --json'];
  static override flags = {
    inbox: Flags.string({ description: 'Folder of scrape files to import (default: <TROLLEY_HOME>/inbox). Files stay where they are.', exclusive: ['sample'] }),
    sample: Flags.boolean({ description: `First write a realistic sample inbox with trolley sample (${PIPELINE_SAMPLE.stores} stores of ${PIPELINE_SAMPLE.companies.length} chains, ${PIPELINE_SAMPLE.products} products each, ${PIPELINE_SAMPLE.days} days) into the data directory, once, and run on it.` }),
  };

  async run(): Promise<PipelineResult> {
    const started = performance.now();
    const kernel = await this.kernel();
    const progress = kernel.container.resolve<ProgressReporter>(Tokens.Progress);
    let sample: PipelineResult['sample'];
    let inbox: string;
    if (this.flags.sample) {
      const task = progress.start('sample', PIPELINE_SAMPLE_FILES);
      sample = await ensureSampleInbox(kernel.config.home, () => task.tick()).finally(() => task.done());
      inbox = sample.dir;
      this.log(text.sample(sample));
    } else {
      inbox = path.resolve(this.flags.inbox ?? path.join(kernel.config.home, 'inbox'));
      if (!fs.existsSync(inbox)) throw new UsageError(text.noInbox(inbox, this.flags.inbox === undefined));
    }
    const firstLines: FirstLines = new Map();
    const files = await orderByScrapedDate(await findScrapeFilesIn([inbox], (_file, why) => kernel.logger.warn(why)), firstLines);
    // The other steps still run (on what the database holds): an empty inbox is said, not an error.
    if (files.length === 0) kernel.logger.warn(nothingFound([inbox]));
    const run = await runPipeline(files, {
      knex: await kernel.knex(),
      registry: await kernel.extensions(),
      container: kernel.container,
      logger: kernel.logger,
      progress,
      jobs: kernel.database.kind === 'postgres' ? 2 : 1,
      digest: kernel.config.importDigest,
      firstLines,
      onStep: (step) => this.log(text.step(step)),
    });
    const figures = await pipelineFigures(await kernel.knex(), run.import.records);
    const result: PipelineResult = { inbox, ...(sample ? { sample } : {}), steps: run.steps, failed: run.failed, changed: run.changed, figures, seconds: Math.round(performance.now() - started) / 1000 };
    for (const line of text.summary(result)) this.log(line);
    if (run.failed) {
      process.stderr.write(`trolley: ${text.failed(run.failed)}\n`);
      return this.finish(result, run.failed.exitCode === ExitCode.ok ? ExitCode.internal : run.failed.exitCode);
    }
    return result;
  }
}
