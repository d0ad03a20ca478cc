/**
 * Where a store's scrape of one day goes, in the layout the importer and the real scrape archives
 * use: `<outbox>/<company>/<company>-<store name>-<store id>-<date>.jsonl.gz`, each part folded to
 * lower-case words joined by hyphens. Files are written beside their final name, fsync'd and
 * renamed into place, so a reader never sees half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function recordFileOf(outbox: string, company: string, storeName: string, storeId: string, date: string): string {
  const name = [company, storeName, storeId].map(slug).filter(Boolean).join('-');
  return path.join(outbox, slug(company), `${name}-${date}.jsonl.gz`);
}

/** Writes JSON Lines (gzipped when the name ends in .gz) atomically. */
export function writeLinesAtomically(file: string, lines: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  const body = file.toLowerCase().endsWith('.gz') ? gzipSync(text) : Buffer.from(text);
  const partial = `${file}.partial-${process.pid}`;
  const fd = fs.openSync(partial, 'w');
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
}
