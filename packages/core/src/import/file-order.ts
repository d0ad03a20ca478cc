/**
 * Files are imported oldest first, so that a folder holding several days of one store imports
 * each day in turn instead of skipping the older ones as stale. The date comes from the first line
 * (from the file's name when the first line cannot be read).
 */
import { dateInName } from './file-series.js';
import { firstLine, type NumberedLine } from './scrape-lines.js';

/** The first line of each file read so far (undefined: none could be read), so that a run reads it once. */
export type FirstLines = Map<string, NumberedLine | undefined>;

/**
 * `files` oldest day first; each first line read is kept in `firstLines`, which the import's
 * look-up of already imported files (./imported-files.ts) then reads instead of the file.
 */
export async function orderByScrapedDate(files: readonly string[], firstLines: FirstLines = new Map()): Promise<string[]> {
  // One file at a time: opening hundreds of gzip streams at once costs hundreds of MB.
  const dated: Array<{ file: string; index: number; date: string }> = [];
  for (const [index, file] of files.entries()) dated.push({ file, index, date: firstDate(file, await firstLineOf(file, firstLines)) });
  return dated.sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index).map((d) => d.file);
}

/** A file's first line: from `firstLines` when it was read before in this run, else read (and kept there). */
export async function firstLineOf(file: string, firstLines: FirstLines): Promise<NumberedLine | undefined> {
  if (firstLines.has(file)) return firstLines.get(file);
  const line = await firstLine(file);
  firstLines.set(file, line);
  return line;
}

function firstDate(file: string, line: NumberedLine | undefined): string {
  try {
    const record = JSON.parse(line?.text ?? '') as { metadata?: { scraped_date?: unknown } };
    return typeof record.metadata?.scraped_date === 'string' ? record.metadata.scraped_date : '';
  } catch {
    // An unreadable file sorts by the date in its name (among its store's days), else first; its import reports why.
    return dateInName(file) ?? '';
  }
}
