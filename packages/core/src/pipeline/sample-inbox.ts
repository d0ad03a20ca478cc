/**
 * The inbox of `pipeline --sample`: a realistic sample written once by the `sample` generator into
 * `<home>/samples/<name>` and reused afterwards, so a second `pipeline --sample` sees the same
 * inbox (and changes nothing). It is written into a scratch folder and renamed into place when
 * complete: an interrupted run never leaves a half-written inbox that a later run would import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateSample, SAMPLE_COMPANIES, type SampleOptions } from '../sample/generate-sample.js';

/** Four chains, 40 stores in 3 price zones and a rogue store each, two days: every step has work. */
export const PIPELINE_SAMPLE = {
  seed: 1,
  stores: 40,
  products: 600,
  days: 2,
  endDate: '2026-01-31',
  companies: SAMPLE_COMPANIES,
  zones: 3,
  rogueStores: 1,
} as const;

export interface SampleInbox {
  readonly dir: string;
  /** False when an earlier run had written it already. */
  readonly written: boolean;
  readonly files: number;
}

export function sampleInboxDir(home: string): string {
  const s = PIPELINE_SAMPLE;
  return path.join(home, 'samples', `pipeline-seed${s.seed}-${s.stores}x${s.products}-${s.days}d-${s.endDate}`);
}

export async function ensureSampleInbox(home: string, onFile?: (done: number, total: number) => void): Promise<SampleInbox> {
  const dir = sampleInboxDir(home);
  if (fs.existsSync(dir)) return { dir, written: false, files: fs.readdirSync(dir).length };
  const scratch = `${dir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  const options: SampleOptions = { ...PIPELINE_SAMPLE, outDir: scratch, quirks: { legacyKeys: false, aldiUnitPriceDividedTwice: false }, ...(onFile ? { onFile } : {}) };
  try {
    const result = await generateSample(options);
    fs.renameSync(scratch, dir);
    return { dir, written: true, files: result.files.length };
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** Stores × days: the files the sample has. */
export const PIPELINE_SAMPLE_FILES = PIPELINE_SAMPLE.stores * PIPELINE_SAMPLE.days;
