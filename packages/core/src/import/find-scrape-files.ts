/**
 * File discovery (docs/import.md, "Which files are read"): the scrape files that the paths given to
 * `import`, `scrape barcodes` and the pipeline name. A file is taken as it is; a folder is searched
 * with all its sub-folders (chains' files sit in a folder per company), the files taken in order of
 * their path. Left out of a folder search: hidden files and folders (a name starting with "."), the
 * `.rejects.jsonl` files trolley writes beside a file, folders the caller names (an outbox inside the
 * inbox), and anything that is not a regular file (a FIFO or a device would block a read for ever).
 * {@link findScrapeFilesIn} also leaves out the store and postcode lists a data folder holds beside
 * the scrapes (their own commands load them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { firstLine, SCRAPE_FILE } from './scrape-lines.js';

const REJECTS_FILE = /\.rejects\.jsonl$/i;

export interface FindOptions {
  /** Folders never searched, with everything under them (an outbox inside the inbox). */
  readonly exclude?: readonly string[] | undefined;
}

/**
 * Expands the given paths into scrape files. A path that does not exist is an {@link InputError}
 * (exit 3); a file that is not a regular one is left out and passed to `onSkipped` with the
 * sentence saying why.
 */
export function findScrapeFiles(paths: readonly string[], onSkipped: (file: string, why: string) => void = () => undefined, options: FindOptions = {}): string[] {
  const excluded = new Set((options.exclude ?? []).map((dir) => realPath(path.resolve(dir))));
  const files: string[] = [];
  const regular = (file: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return true; // unreadable or a looping link: its import says why
    }
    if (stat.isFile()) return true;
    onSkipped(file, `${file} is not a regular file (a FIFO, socket or device); it was skipped.`);
    return false;
  };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new InputError(`${given} does not exist; check the path.`, 'file-missing');
    }
    if (stat.isDirectory()) files.push(...searchFolder(given, excluded).filter(regular));
    else if (regular(given)) files.push(given);
  }
  return files;
}

/**
 * {@link findScrapeFiles}, and of the files found in folders, those whose first line is a record of a
 * store list or a postcode list (not a scrape) are left out, each with a sentence naming the command
 * that loads it. A named file is taken as it is: its own check says what is wrong with it.
 */
export async function findScrapeFilesIn(paths: readonly string[], onSkipped: (file: string, why: string) => void = () => undefined, options: FindOptions = {}): Promise<string[]> {
  const files = findScrapeFiles(paths, onSkipped, options);
  const named = new Set(paths);
  const kept: string[] = [];
  for (const file of files) {
    const list = named.has(file) ? undefined : otherListOf(await firstRecord(file));
    if (list) onSkipped(file, `${file} is a ${list.kind}, not a scrape file; it was left out (load it with trolley ${list.command} ${file}).`);
    else kept.push(file);
  }
  return kept;
}

async function firstRecord(file: string): Promise<unknown> {
  const line = await firstLine(file);
  try {
    return line ? JSON.parse(line.text) : undefined;
  } catch {
    return undefined; // not JSON: a scrape file's check says so with the line
  }
}

/** The list a record belongs to when it is not a scrape record: the national store list or the postcode list. */
function otherListOf(record: unknown): { kind: string; command: string } | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record) || 'product' in record || 'metadata' in record) return undefined;
  if ('store_id' in record && 'company' in record) return { kind: 'store list', command: 'stores import' };
  if ('postcode' in record) return { kind: 'postcode list', command: 'postcodes import' };
  return undefined;
}

/** The scrape files under `root` (sub-folders too), sorted by their path below it. */
function searchFolder(root: string, excluded: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  const walk = (dir: string, relative: string) => {
    const real = realPath(dir);
    // A folder reached twice (a link back up the tree) is searched once.
    if (visited.has(real) || excluded.has(real)) return;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a sub-folder that cannot be read holds nothing we can import
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (isFolder(entry, full)) walk(full, rel);
      else if (SCRAPE_FILE.test(entry.name) && !REJECTS_FILE.test(entry.name)) found.push(rel);
    }
  };
  walk(root, '');
  return found.sort(byCodePoint).map((rel) => path.join(root, rel));
}

function isFolder(entry: fs.Dirent, full: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(full).isDirectory();
  } catch {
    return false;
  }
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One sentence for a search that found no scrape file: where was searched and what is expected. */
export function nothingFound(paths: readonly string[], what = 'scrape files'): string {
  const where = paths.length === 1 ? paths[0]! : `${paths.slice(0, -1).join(', ')} or ${paths.at(-1)!}`;
  return `No ${what} (.jsonl or .jsonl.gz) were found in ${where} or its sub-folders (hidden folders and .rejects.jsonl files are not read); put the files of a scrape there, or name them.`;
}
