/**
 * The lines of a scrape file (`.jsonl` or `.jsonl.gz`) with their 1-based numbers: streamed
 * ({@link scrapeLines}), or for the import read whole ({@link fileLines}) when the file is sound. A
 * truncated or corrupt gzip file is an {@link InputError} naming the file and the fix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { InputError } from '../errors.js';

export const SCRAPE_FILE = /\.jsonl(\.gz)?$/i;

export interface NumberedLine {
  readonly lineNo: number;
  readonly text: string;
}

export interface LineOptions {
  /** Replace bytes that are not UTF-8 with U+FFFD instead of refusing the file; `onReplaced` hears of it. */
  readonly replaceInvalidUtf8?: boolean | undefined;
  /** Called once, with the first line where bytes were replaced. */
  readonly onReplaced?: ((lineNo: number) => void) | undefined;
}

/**
 * Files up to this many bytes (uncompressed) are read whole by {@link fileLines}; a larger one is
 * streamed, so that its text never has to be one string.
 */
export const WHOLE_FILE_BYTES = 256 * 2 ** 20;

const gunzipWhole = promisify(gunzip);
/** zlib's output piece for a whole file: each piece is a round trip to the thread pool (16 KiB by default). */
const GUNZIP_CHUNK = 2 ** 20;

/**
 * The lines of a scrape file, the same as {@link scrapeLines} yields, read at the cost of one read:
 * the file is read and gunzipped whole, off this thread (libuv's thread pool does the gunzip, in
 * pieces of {@link GUNZIP_CHUNK}), and its lines are split from one string, with no stream. A
 * file that is missing, unreadable, not a complete gzip, not valid UTF-8, or larger than
 * {@link WHOLE_FILE_BYTES} goes through {@link scrapeLines} instead, which says what is wrong and
 * where exactly as it always did.
 */
export async function fileLines(file: string, options: LineOptions = {}): Promise<Iterable<NumberedLine> | AsyncIterable<NumberedLine>> {
  const text = await wholeText(file);
  return text === undefined ? scrapeLines(file, options) : textLines(text);
}

/** The text of a sound file (see {@link fileLines}), or undefined for one that needs the streamed read. */
async function wholeText(file: string): Promise<string | undefined> {
  const bytes = await wholeBytes(file);
  // A BOM at the start is not part of the first line (as the streamed read drops it).
  return bytes === undefined ? undefined : bytes.toString('utf8', bomLength(bytes));
}

/**
 * The bytes of a sound file: read and gunzipped whole (see {@link fileLines}), valid UTF-8, at most
 * {@link WHOLE_FILE_BYTES}; undefined for a file that needs the streamed read, which says what is
 * wrong and where.
 */
export async function wholeBytes(file: string): Promise<Buffer | undefined> {
  try {
    const gzipped = file.toLowerCase().endsWith('.gz');
    if (!gzipped && (await fs.promises.stat(file)).size > WHOLE_FILE_BYTES) return undefined;
    const raw = await fs.promises.readFile(file);
    const bytes = gzipped ? await gunzipWhole(raw, { maxOutputLength: WHOLE_FILE_BYTES, chunkSize: GUNZIP_CHUNK }) : raw;
    // A file with bytes that are not UTF-8 is streamed, which names the line or replaces them.
    return isUtf8(bytes) ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** 3 when `bytes` begin with a UTF-8 byte order mark, else 0. */
export const bomLength = (bytes: Uint8Array) => (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);

/** Splits a file's text into numbered lines as {@link scrapeLines} does: at \n, a \r before it dropped. */
function* textLines(text: string): Generator<NumberedLine> {
  let lineNo = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    lineNo++;
    yield { lineNo, text: text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end) };
    start = end + 1;
  }
  const rest = text.slice(start);
  if (rest !== '') yield { lineNo: lineNo + 1, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest };
}

/** Streams the lines of a scrape file. */
export async function* scrapeLines(file: string, options: LineOptions = {}): AsyncGenerator<NumberedLine> {
  const raw = fs.createReadStream(file);
  const gzipped = file.toLowerCase().endsWith('.gz');
  const input = gzipped ? raw.pipe(createGunzip()) : raw;
  let failure: Error | undefined;
  raw.on('error', (error) => {
    failure = error;
    input.destroy(error);
  });
  if (gzipped) input.on('error', (error: Error) => (failure ??= error));
  let decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let replacing = false;
  let lineNo = 0;
  // Split by hand: readline's line-break regex cost more than the gunzip. Lines end with \n or \r\n.
  let rest = '';
  try {
    for await (const bytes of input as AsyncIterable<Buffer>) {
      let chunk: string;
      try {
        chunk = decoder.decode(bytes, { stream: true });
      } catch {
        const at = lineNo + countNewlines(rest) + countNewlines(bytes, firstInvalidUtf8(bytes)) + 1;
        if (!options.replaceInvalidUtf8) {
          throw new InputError(
            `${path.basename(file)} line ${at} is not valid UTF-8; save the file as UTF-8, or import it with --replace-invalid-utf8 to replace such bytes with U+FFFD.`,
            'invalid-utf8',
          );
        }
        if (!replacing) options.onReplaced?.(at);
        replacing = true;
        decoder = new TextDecoder('utf-8', { fatal: false });
        chunk = decoder.decode(bytes, { stream: true });
      }
      const text = rest + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        lineNo++;
        yield { lineNo, text: text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end) };
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest !== '') {
      lineNo++;
      yield { lineNo, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
      if (!options.replaceInvalidUtf8) throw new InputError(`${path.basename(file)} ends in the middle of a UTF-8 character (line ${lineNo + 1}); save the file as UTF-8, or import it with --replace-invalid-utf8.`, 'invalid-utf8');
    } else {
      failure ??= error as Error;
    }
  } finally {
    raw.destroy();
  }
  if (failure) throw readFailure(file, failure, gzipped, lineNo);
}

/** The sentence for a file that could not be read: missing, a folder, unreadable, or a broken gzip stream. */
function readFailure(file: string, failure: Error, gzipped: boolean, lineNo: number): InputError {
  const code = (failure as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${file} does not exist; check the path.`, 'file-missing', failure);
  if (code === 'EISDIR') return new InputError(`${file} is a folder, not a scrape file.`, 'file-missing', failure);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${file} cannot be read (permission denied); give trolley read access to it or move it away.`, 'file-unreadable', failure);
  if (code === 'ELOOP') return new InputError(`${file} is a symbolic link that loops; remove the link or point it at a file.`, 'file-unreadable', failure);
  if (code === 'EIO' || (code !== undefined && !gzipped)) return new InputError(`${file} cannot be read (${failure.message}) after line ${lineNo}; copy the file again or move it away.`, 'file-unreadable', failure);
  return new InputError(
    `${path.basename(file)} is not a complete gzip file (${failure.message}) after line ${lineNo}; re-download or re-scrape it.`,
    'corrupt-gzip',
    failure,
  );
}

function countNewlines(data: string | Buffer, end = data.length): number {
  let n = 0;
  const next = (from: number) => (typeof data === 'string' ? data.indexOf('\n', from) : data.indexOf(10, from));
  for (let i = next(0); i !== -1 && i < end; i = next(i + 1)) n++;
  return n;
}

/** The offset of the first byte of `bytes` that does not begin or continue a valid UTF-8 sequence (its length when all are valid). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0) return i;
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return bytes.length; // cut at the end of the chunk: the next one continues it
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += size;
  }
  return bytes.length;
}

/**
 * The first non-blank line of a scrape file; undefined when it has none or cannot be read. Read
 * loosely (bytes that are not UTF-8 replaced): a bad byte further on in the same chunk must not
 * hide the file's date, or the file would sort before its store's older files.
 */
export async function firstLine(file: string): Promise<NumberedLine | undefined> {
  try {
    for await (const line of scrapeLines(file, { replaceInvalidUtf8: true })) if (line.text.trim() !== '') return line;
  } catch {
    // A missing or corrupt file: its import reads it whole and says why.
  }
  return undefined;
}
