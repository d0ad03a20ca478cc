/**
 * The chaos harness shared by the chaos tests and `npm run bench -- chaos`: a corpus of real scrape
 * files, imports of it with mutants in place of some of its files, and the check that what was
 * stored is exactly what a clean import of the files that were not refused stores.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { isTrolleyError } from '../errors.js';
import type { FileReport } from '../import/import-file.js';
import { importFiles } from '../import/import-files.js';
import { orderByScrapedDate, type FirstLines } from '../import/file-order.js';
import { findScrapeFilesIn } from '../import/find-scrape-files.js';
import { fingerprint, fingerprintDifferences, pricesBySku, type Fingerprint } from './fingerprint.js';
import { mutate, mutates, type Mutant } from './mutants.js';
import { sandboxDatabase, type CliResult, type CliSandbox } from './cli.js';
import type { Teardown } from './database.js';

export interface CorpusFile {
  readonly name: string;
  readonly path: string;
  readonly store: string;
  readonly date: string;
}

/** Copies real scrape files into `dir`, each cut to its first `maxLines` whole lines (all when unset). */
export function writeCorpus(sources: readonly string[], dir: string, maxLines = Infinity): CorpusFile[] {
  fs.mkdirSync(dir, { recursive: true });
  return sources.map((source) => {
    const name = path.basename(source);
    const gz = name.endsWith('.gz');
    const raw = fs.readFileSync(source);
    const lines = (gz ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean).slice(0, maxLines);
    const text = lines.map((l) => `${l}\n`).join('');
    const file = path.join(dir, name);
    fs.writeFileSync(file, gz ? gzipSync(text) : text);
    const { metadata } = JSON.parse(lines[0]!) as { metadata: { company: string; store_id: string; scraped_date: string } };
    return { name, path: file, store: `${metadata.company.toLowerCase()}:${metadata.store_id}`, date: metadata.scraped_date };
  });
}

export interface ImportOutcome {
  readonly reports: FileReport[];
  /** What the command would exit with: 3 when a file failed, a trolley error's own code, 1 for anything else. */
  readonly exitCode: number;
  readonly error?: string;
}

/** Imports files in-process, as `trolley import` does (found, ordered by date, one batch at a time). */
export async function importInProcess(knex: Knex, paths: readonly string[]): Promise<ImportOutcome> {
  try {
    const firstLines: FirstLines = new Map();
    const files = await orderByScrapedDate(await findScrapeFilesIn(paths), firstLines);
    const reports = await importFiles(knex, files, { jobs: 1, firstLines });
    return { reports, exitCode: reports.some((r) => r.mode === 'failed') ? 3 : 0 };
  } catch (error) {
    return { reports: [], exitCode: isTrolleyError(error) ? error.exitCode : 1, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

/** The files a refusal of `failed` keeps out of the database: it and its store's files after it in date order. */
export async function keptOut(corpus: readonly CorpusFile[], failed: string, trialPaths: readonly string[]): Promise<string[]> {
  const store = corpus.find((f) => f.name === failed)!.store;
  const order = (await orderByScrapedDate(trialPaths)).map((p) => path.basename(p));
  const after = order.slice(order.indexOf(failed) + 1);
  return [failed, ...corpus.filter((f) => f.store === store && after.includes(f.name)).map((f) => f.name)];
}

/** Clean imports of the corpus without some of its files, each made once. */
export class CleanReferences {
  private readonly made = new Map<string, Promise<{ fingerprint: Fingerprint; prices: PricesBySku }>>();

  constructor(
    private readonly corpus: readonly CorpusFile[],
    private readonly open: () => Promise<{ knex: Knex; close(): Promise<void> }>,
  ) {}

  of(without: readonly string[]): Promise<{ fingerprint: Fingerprint; prices: PricesBySku }> {
    const key = [...without].sort().join('|');
    let made = this.made.get(key);
    if (!made) {
      made = (async () => {
        const db = await this.open();
        try {
          const outcome = await importInProcess(db.knex, this.corpus.filter((f) => !without.includes(f.name)).map((f) => f.path));
          if (outcome.exitCode !== 0) throw new Error(`the clean import failed: ${outcome.error ?? outcome.reports.find((r) => r.message)?.message}`);
          return { fingerprint: await fingerprint(db.knex), prices: await pricesBySku(db.knex) };
        } finally {
          await db.close();
        }
      })();
      this.made.set(key, made);
    }
    return made;
  }
}

export type PricesBySku = Awaited<ReturnType<typeof pricesBySku>>;

export interface TrialVerdict {
  /** Files refused, by name. */
  readonly refused: string[];
  /** What is wrong, one sentence each; empty when the run did what it must. */
  readonly problems: string[];
}

/**
 * Checks an import of the corpus with `mutants` (file name → mutant) in place of some files:
 * never exit 1; each refusal names its file (and line); only the refused files and those held
 * behind them are missing; everything else is exactly what a clean import stores.
 */
export async function checkTrial(options: {
  knex: Knex;
  corpus: readonly CorpusFile[];
  mutants: ReadonlyMap<string, Mutant>;
  trialPaths: readonly string[];
  outcome: ImportOutcome;
  clean: CleanReferences;
}): Promise<TrialVerdict> {
  const { knex, corpus, mutants, trialPaths, outcome, clean } = options;
  const problems: string[] = [];
  if (outcome.exitCode === 1 || outcome.exitCode === null) problems.push(`exit ${outcome.exitCode}: ${outcome.error ?? ''}`.slice(0, 2000));
  const failed = outcome.reports.filter((r) => r.mode === 'failed');
  const refused = failed.map((r) => path.basename(r.file));
  for (const report of failed) {
    const name = path.basename(report.file);
    const mutant = mutants.get(name);
    if (!mutant) problems.push(`${name} is not a mutant but failed: ${report.message}`);
    else if (mutant.expect === 'equal' || mutant.expect === 'same-prices') problems.push(`${name} (${mutant.kind}) must be imported but failed: ${report.message}`);
    if (!report.message?.startsWith(name)) problems.push(`the refusal of ${name} does not begin with its name: ${report.message}`);
    if (mutant?.line !== undefined && !new RegExp(`\\bline ${mutant.line}\\b`).test(report.message ?? '')) problems.push(`the refusal of ${name} (${mutant.kind}) does not name line ${mutant.line}: ${report.message}`);
  }
  for (const [name, mutant] of mutants) {
    if (mutant.expect === 'refused' && !refused.includes(name)) problems.push(`${name} (${mutant.kind}${mutant.line ? ` at line ${mutant.line}` : ''}) must be refused but was ${outcome.reports.find((r) => path.basename(r.file) === name)?.mode ?? 'not reported'}`);
  }
  if (outcome.exitCode === 1) return { refused, problems };

  const out = new Set<string>();
  for (const name of refused) for (const n of await keptOut(corpus, name, trialPaths)) out.add(n);
  const held = outcome.reports.filter((r) => r.mode === 'held').map((r) => path.basename(r.file)).sort();
  const mustHold = [...out].filter((n) => !refused.includes(n)).sort();
  if (held.join() !== mustHold.join()) problems.push(`held back ${held.join(', ') || 'nothing'}, but the refusals keep out ${mustHold.join(', ') || 'nothing'}`);
  const reference = await clean.of([...out]);
  const accepted = [...mutants].filter(([name, m]) => !refused.includes(name) && m.expect !== 'refused');
  if (accepted.every(([, m]) => m.expect === 'equal')) {
    const differences = fingerprintDifferences(reference.fingerprint, await fingerprint(knex));
    if (differences.length) problems.push(`the database differs from a clean import without ${[...out].join(', ') || 'nothing'}: ${differences.join('; ')}`);
  } else {
    // A mutant that was imported changes its own store's data: the other stores must be untouched,
    // and no price may move to another SKU.
    const stores = new Set(accepted.map(([name]) => corpus.find((f) => f.name === name)!.store));
    const prices = await pricesBySku(knex);
    const sameSkus = accepted.every(([, m]) => m.expect === 'same-prices');
    const mine = (rows: PricesBySku) => rows.filter((r) => sameSkus || !stores.has(r.store)).map((r) => JSON.stringify(r));
    const [want, got] = [mine(reference.prices), mine(prices)];
    const missing = want.filter((r) => !got.includes(r));
    const extra = got.filter((r) => !want.includes(r));
    if (missing.length || extra.length) problems.push(`prices by SKU differ from a clean import${sameSkus ? '' : ' outside the mutated store'}: missing ${missing.slice(0, 3).join(' ')} (${missing.length}); extra ${extra.slice(0, 3).join(' ')} (${extra.length})`);
    for (const store of sameSkus ? [] : stores) {
      const count = (rows: PricesBySku) => rows.filter((r) => r.store === store).length;
      if (count(prices) < count(reference.prices) - 1) problems.push(`${store} lost ${count(reference.prices) - count(prices)} prices to one mutated line`);
    }
  }
  return { refused, problems };
}

export interface KillTrials {
  /** Runs that were killed before they ended. */
  readonly killed: number;
  /** Runs that ended before their moment came, and their exit codes. */
  readonly finished: number[];
}

/**
 * Starts `args` `kills` times, each killed (SIGKILL, the whole process group) at a random moment
 * within `withinMs`: the chaos tests then run the command to its end and compare with a clean run.
 */
export async function killTrials(cli: CliSandbox, args: readonly string[], options: { kills: number; withinMs: number; random: () => number; env?: NodeJS.ProcessEnv }): Promise<KillTrials> {
  let killed = 0;
  const finished: number[] = [];
  for (let i = 0; i < options.kills; i++) {
    const child = cli.spawn(args, { env: options.env });
    child.stdin!.end();
    child.stdout!.resume();
    child.stderr!.resume();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const moment = Math.round(options.withinMs * (0.05 + 0.9 * options.random()));
    const ended = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), moment))]);
    if (ended) {
      finished.push(child.exitCode ?? -1);
      continue;
    }
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // It ended just now.
    }
    await exited;
    if (child.signalCode === 'SIGKILL') killed++;
    else finished.push(child.exitCode ?? -1);
  }
  return { killed, finished };
}

/** Runs a command to its end and returns how long it took. */
export async function timedRun(cli: CliSandbox, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult & { ms: number }> {
  const started = performance.now();
  const result = await cli.run(args, { env });
  return { ...result, ms: performance.now() - started };
}

/** The fingerprint of a sandbox's database, opened and closed again. */
export async function sandboxFingerprint(t: Teardown, cli: CliSandbox): Promise<Fingerprint> {
  const db = await sandboxDatabase(t, cli);
  try {
    return await fingerprint(await db.knex());
  } finally {
    await db.close();
  }
}

/**
 * One mutant of `kind` in place of a random file of the corpus, imported in-process into a fresh
 * database (`open`) with the other files, and checked against the clean references.
 */
export async function mutantTrial(options: {
  corpus: readonly CorpusFile[];
  kind: string;
  random: () => number;
  /** A folder for the mutant file. */
  dir: string;
  open: () => Promise<{ knex: Knex; close(): Promise<void> }>;
  clean: CleanReferences;
}): Promise<TrialVerdict & { target: string }> {
  const { corpus, kind, random, dir, clean } = options;
  const candidates = corpus.filter((f) => mutates(kind, f.name));
  const target = candidates[Math.floor(random() * candidates.length)]!;
  const mutant = mutate(kind, target.name, fs.readFileSync(target.path), random);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, target.name), mutant.bytes);
  const trialPaths = corpus.map((f) => (f.name === target.name ? path.join(dir, f.name) : f.path));
  const db = await options.open();
  try {
    const outcome = await importInProcess(db.knex, trialPaths);
    return { target: target.name, ...(await checkTrial({ knex: db.knex, corpus, mutants: new Map([[target.name, mutant]]), trialPaths, outcome, clean })) };
  } finally {
    await db.close();
  }
}
