/**
 * The series a scrape file belongs to by its name: the same folder and the same name apart from
 * the date (`aldi-albion-park-g501-2025-09-19.jsonl.gz` and `…-2025-09-20.jsonl.gz`), as scrapers
 * name one store's days. A file that cannot be read at all names no store in its lines; its series
 * is what still ties it to the later days of its store, so that they wait behind it.
 */
import path from 'node:path';

const DATE = /\d{4}-\d{2}-\d{2}/g;

/** The series key of a file, or undefined when its name holds no date. */
export function seriesOf(file: string): string | undefined {
  const name = nameOf(file);
  const last = lastDate(name);
  if (last === undefined) return undefined;
  return path.join(path.dirname(file), `${name.slice(0, last.index)}{date}${name.slice(last.index + last[0].length)}`);
}

/** The date a file's name gives (its last YYYY-MM-DD), or undefined. */
export function dateInName(file: string): string | undefined {
  return lastDate(nameOf(file))?.[0];
}

const nameOf = (file: string) => path.basename(file).replace(/\.jsonl(\.gz)?$/i, '');
const lastDate = (name: string) => [...name.matchAll(DATE)].at(-1);
