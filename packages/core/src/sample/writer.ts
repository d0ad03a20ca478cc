/**
 * Streams lines into a gzipped JSON Lines file: one gzip stream per file, written in ~64 KB
 * chunks with backpressure, so memory stays flat however large the file. The file appears under
 * its name only when complete (written as `<name>.partial`, then renamed). Node's gzip header
 * carries no file name and a zero mtime, so the same lines always give the same bytes.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const CHUNK = 64 * 1024;

/** Writes `lines` (each without its newline) to `file` as gzip; returns the number of lines. */
export async function writeGzipLines(file: string, lines: Iterable<string>): Promise<number> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const done = pipeline(gzip, fs.createWriteStream(partial));
  done.catch(() => undefined); // observed below; avoids an unhandled rejection while writing
  let count = 0;
  try {
    let buffer = '';
    for (const line of lines) {
      buffer += `${line}\n`;
      count++;
      if (buffer.length >= CHUNK) {
        const more = gzip.write(buffer);
        buffer = '';
        if (!more) await Promise.race([once(gzip, 'drain'), done]);
      }
    }
    gzip.end(buffer);
    await done;
  } catch (error) {
    gzip.destroy();
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  await fs.promises.rename(partial, file);
  return count;
}
