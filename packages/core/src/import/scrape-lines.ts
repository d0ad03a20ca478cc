/**
 * Streams the lines of a scrape file (`.jsonl` or `.jsonl.gz`) with their 1-based numbers. A
 * truncated or corrupt gzip file is an {@link InputError} naming the file and the fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';

export const SCRAPE_FILE = /\.jsonl(\.gz)?$/i;

export interface NumberedLine {
  readonly lineNo: number;
  readonly text: string;
}

export async function* scrapeLines(file: string): AsyncGenerator<NumberedLine> {
  const raw = fs.createReadStream(file);
  const gzipped = file.toLowerCase().endsWith('.gz');
  const input = gzipped ? raw.pipe(createGunzip()) : raw;
  let failure: Error | undefined;
  raw.on('error', (error) => {
    failure = error;
    input.destroy(error);
  });
  if (gzipped) input.on('error', (error: Error) => (failure = error));
  input.setEncoding('utf8');
  let lineNo = 0;
  // Split by hand: readline's line-break regex cost more than the gunzip. Lines end with \n or \r\n.
  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const text = rest + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        lineNo++;
        yield { lineNo, text: text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end) };
        start = end + 1;
      }
      rest = text.slice(start);
    }
    if (rest !== '') {
      lineNo++;
      yield { lineNo, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest };
    }
  } catch (error) {
    failure = error as Error;
  } finally {
    raw.destroy();
  }
  if (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file} does not exist; check the path.`, 'file-missing', failure);
    if (code === 'EISDIR') throw new InputError(`${file} is a folder, not a scrape file.`, 'file-missing', failure);
    throw new InputError(
      `${path.basename(file)} is not a complete gzip file (${failure.message}) after line ${lineNo}; re-download or re-scrape it.`,
      'corrupt-gzip',
      failure,
    );
  }
}

/** The first non-blank line of a scrape file; undefined when it has none or cannot be read. */
export async function firstLine(file: string): Promise<NumberedLine | undefined> {
  try {
    for await (const line of scrapeLines(file)) if (line.text.trim() !== '') return line;
  } catch {
    // A missing or corrupt file: its import reads it whole and says why.
  }
  return undefined;
}

/** Expands the given paths: files as they are, folders to the scrape files they hold (sorted). */
export function findScrapeFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new InputError(`${given} does not exist; check the path.`, 'file-missing');
    }
    if (stat.isDirectory()) {
      files.push(
        ...fs
          .readdirSync(given)
          .filter((name) => SCRAPE_FILE.test(name))
          .sort()
          .map((name) => path.join(given, name)),
      );
    } else {
      files.push(given);
    }
  }
  return files;
}
