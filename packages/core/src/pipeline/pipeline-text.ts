/** What `trolley pipeline` says, kept apart from the code. */
import type { PipelineStep, PipelineRun } from './run-pipeline.js';
import type { PipelineFigures } from './pipeline-figures.js';
import type { ImportTotals } from '../import/import-totals.js';

const n = (value: number) => value.toLocaleString('en-AU');

export const pipelineText = {
  description: `Imports every scrape file in the inbox (in date order; files already imported are skipped as stale, so the files can stay), then runs every installed Generator extension in stage order: store groups (health check, merges, retention), substitutions (category links, LVL1–LVL4), bargains. Each step commits its own work. A failed step stops the cycle with the step named; the steps before it stay committed, and running the pipeline again after the fix carries on. A second run over the same inbox changes nothing and says so. There is no --dry-run: every step's own command has one (import, groups maintain, subs generate, bargains generate).`,

  sample: (s: { dir: string; written: boolean; files: number }) => (s.written ? `Wrote a sample inbox of ${n(s.files)} file(s) to ${s.dir}.` : `Using the sample inbox written earlier: ${n(s.files)} file(s) in ${s.dir}.`),

  noInbox: (dir: string, isDefault: boolean) =>
    isDefault
      ? `The inbox ${dir} does not exist; put scrape files there, pass --inbox DIR, or run trolley pipeline --sample to try it on a sample.`
      : `The inbox ${dir} does not exist; pass --inbox with a folder of scrape files.`,

  importStep: (t: ImportTotals) =>
    `${t.imported} of ${t.files} file(s) imported (${t.stale} stale: already imported or not newer than the store's last import, ${t.failed} failed${t.held ? `, ${t.held} held back behind a failed file of their store` : ''}): ${n(t.records)} price records in the files; ${n(t.inserted)} new, ${n(t.updated)} changed, ${n(t.deleted)} deleted price rows; ${n(t.newProducts)} new product(s).`,

  importFailed: (failed: number, files: number, first: string) => `${failed} of ${files} file(s) could not be imported (the first: ${importAdvice(first)})`,

  step: (s: PipelineStep) => `${s.status === 'failed' ? 'FAILED' : 'done  '} ${s.step.padEnd(14)} ${`${s.seconds.toFixed(1)}s`.padStart(8)}  ${s.summary}`,

  summary(result: { figures: PipelineFigures; changed: boolean | null; failed: PipelineRun['failed']; seconds: number; steps: readonly PipelineStep[] }): string[] {
    const f = result.figures;
    const lines = [
      '',
      `Stores: ${n(f.stores)}; products: ${n(f.products)}.`,
      `Price rows: ${n(f.storedPriceRows)} stored (${n(f.currentPriceRows)} current, ${n(f.historyRows)} history, ${n(f.exclusionRows)} exclusion marks) for ${n(f.observedPrices)} observed prices${f.fewerRowsPercent === null ? '' : f.fewerRowsPercent >= 0 ? ` (${f.fewerRowsPercent}% fewer)` : ` (${-f.fewerRowsPercent}% more)`}.`,
      `Time: ${result.steps.map((s) => `${s.step} ${s.seconds.toFixed(1)}s`).join(', ')}; ${result.seconds.toFixed(1)}s in all.`,
    ];
    if (result.failed) return lines;
    if (result.changed === false) lines.push('Nothing changed: every file was already imported and every step found its results in place.');
    else if (result.changed === null) lines.push('A step could not tell whether it changed anything.');
    return lines;
  },

  failed: (f: NonNullable<PipelineRun['failed']>) => `The ${f.step} step failed: ${f.message.replace(/\.$/, '')}. The steps before it stay committed; fix that and run trolley pipeline again.`,
};

/**
 * The importer's sentence names `trolley import`'s flags (--skip-invalid, --store-id), which the
 * pipeline does not have: the advice says to import that file with `trolley import` and the flag.
 */
export function importAdvice(message: string): string {
  const file = /^(\S+?)(?::\d+| line \d+)?\s/.exec(message)?.[1] ?? 'FILE';
  return message
    .replace(/, or import the rest with --skip-invalid/, `, or import the rest of it with trolley import ${file} --skip-invalid and run the pipeline again`)
    .replace(/\(give one with --store-id\)/, `(import it with trolley import ${file} --store-id ID, then run the pipeline again)`);
}
