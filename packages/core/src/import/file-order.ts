/**
 * Files are imported oldest first, so that a folder holding several days of one store imports
 * each day in turn instead of skipping the older ones as stale. The date comes from the first line
 * (from the file's name when the first line cannot be read).
 */
import { dateInName } from './file-series.js';
import { firstLine } from './scrape-lines.js';

export async function orderByScrapedDate(files: readonly string[]): Promise<string[]> {
  // One file at a time: opening hundreds of gzip streams at once costs hundreds of MB.
  const dated: Array<{ file: string; index: number; date: string }> = [];
  for (const [index, file] of files.entries()) dated.push({ file, index, date: await firstDate(file) });
  return dated.sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index).map((d) => d.file);
}

async function firstDate(file: string): Promise<string> {
  const line = await firstLine(file);
  try {
    const record = JSON.parse(line?.text ?? '') as { metadata?: { scraped_date?: unknown } };
    return typeof record.metadata?.scraped_date === 'string' ? record.metadata.scraped_date : '';
  } catch {
    // An unreadable file sorts by the date in its name (among its store's days), else first; its import reports why.
    return dateInName(file) ?? '';
  }
}
