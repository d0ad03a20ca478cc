import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isTrolleyError } from '../../src/errors.js';
import { fileLines, scrapeLines, type NumberedLine } from '../../src/import/scrape-lines.js';
import { readScrapeFile } from '../../src/import/scrape-file.js';
import { checkLine } from '../../src/import/scrape-line.js';
import { line, products, tempDir } from './scrape-fixtures.js';

async function collect(lines: Iterable<NumberedLine> | AsyncIterable<NumberedLine>): Promise<NumberedLine[]> {
  const all: NumberedLine[] = [];
  for await (const l of lines) all.push(l);
  return all;
}

/** What a read yields, or the sentence it fails with. */
async function outcome(read: () => Promise<Iterable<NumberedLine> | AsyncIterable<NumberedLine>>): Promise<NumberedLine[] | string> {
  try {
    return await collect(await read());
  } catch (error) {
    if (isTrolleyError(error)) return error.message;
    throw error;
  }
}

const body = products(3, { scraped_date: '2026-01-02' });
const sound: Array<[string, string | Buffer]> = [
  ['plain.jsonl', body.join('\n') + '\n'],
  ['no-last-newline.jsonl', body.join('\n')],
  ['crlf.jsonl', body.join('\r\n') + '\r\n'],
  ['bom.jsonl', '\uFEFF' + body.join('\n') + '\n'],
  ['blank-lines.jsonl', `\n${body[0]}\n\n  \n${body[1]}\r\n${body[2]}`],
  ['utf8.jsonl', line({ sku: 'É1', name: 'Crème fraîche 200ml 🥛', price_current: 3 }) + '\n'],
  ['empty.jsonl', ''],
  ['zipped.jsonl.gz', gzipSync(body.join('\n') + '\n')],
  // Two gzip members, as `cat a.gz b.gz` makes: both are read.
  ['two-members.jsonl.gz', Buffer.concat([gzipSync(body[0] + '\n'), gzipSync(body.slice(1).join('\n') + '\n')])],
  // Larger than one gunzip output piece (1 MiB).
  ['large.jsonl.gz', gzipSync(products(3_000, { scraped_date: '2026-01-02' }).join('\n') + '\n')],
];

for (const [name, content] of sound) {
  test(`a sound file is read whole, line for line as the stream reads it: ${name}`, async (t) => {
    const file = path.join(tempDir(t), name);
    fs.writeFileSync(file, content);
    const whole = await fileLines(file);
    t.true(Symbol.iterator in whole, 'read whole, not streamed');
    t.deepEqual(await collect(whole), await collect(scrapeLines(file)));
  });
}

const halfOf = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
const unsound: Array<[string, string | Buffer, RegExp]> = [
  ['invalid-utf8.jsonl', Buffer.concat([Buffer.from(body.join('\n') + '\n'), Buffer.from([0xff, 0x0a])]), /^invalid-utf8\.jsonl line 4 is not valid UTF-8; /],
  ['cut-char.jsonl', Buffer.concat([Buffer.from(body.join('\n') + '\n'), Buffer.from([0xe2, 0x82])]), /^cut-char\.jsonl ends in the middle of a UTF-8 character \(line 4\); /],
  ['cut.jsonl.gz', halfOf(gzipSync(products(2_000).join('\n'))), /^cut\.jsonl\.gz is not a complete gzip file \(unexpected end of file\) after line \d+; /],
  ['not-gzip.jsonl.gz', Buffer.from(body.join('\n')), /^not-gzip\.jsonl\.gz is not a complete gzip file /],
];

for (const [name, content, sentence] of unsound) {
  test(`a file that cannot be read whole is streamed, and fails with the stream's own sentence: ${name}`, async (t) => {
    const file = path.join(tempDir(t), name);
    fs.writeFileSync(file, content);
    const whole = await outcome(() => fileLines(file));
    t.regex(String(whole), sentence);
    t.deepEqual(whole, await outcome(async () => scrapeLines(file)));
  });
}

test('a missing file fails as the stream says it', async (t) => {
  const file = path.join(tempDir(t), 'gone.jsonl.gz');
  t.is(await outcome(() => fileLines(file)), `${file} does not exist; check the path.`);
});

test('with --replace-invalid-utf8 a file with bad bytes is streamed and warned about, from the line they are on', async (t) => {
  const file = path.join(tempDir(t), 'latin1.jsonl');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(body.slice(0, 2).join('\n') + '\n'), Buffer.from(line({ sku: 'X', name: 'Caf\u00e9', price_current: 2 }, { scraped_date: '2026-01-02' }), 'latin1')]));
  const scrape = await readScrapeFile(file, { replaceInvalidUtf8: true });
  t.deepEqual(scrape.warnings, ['latin1.jsonl: bytes that are not UTF-8 were replaced with U+FFFD, from line 3 on.']);
  t.is(scrape.rows.length, 3);
  t.is(scrape.rows[2]!.name, 'Caf\uFFFD');
});

test('a bad line in the middle of a zipped file: the same sentence, rows and rejects as checking each streamed line', async (t) => {
  const lines = products(1_500, { scraped_date: '2026-01-02' });
  lines.splice(700, 0, '{"product": {"sku": 1');
  lines.splice(1_200, 0, line({ sku: 'N', name: 'No price', price_current: 0 }, { scraped_date: '2026-01-02' }));
  const file = path.join(tempDir(t), 'aldi-g1-2026-01-02.jsonl.gz');
  fs.writeFileSync(file, gzipSync(lines.join('\n') + '\n'));

  const error = await t.throwsAsync(readScrapeFile(file));
  t.is(error?.message, 'aldi-g1-2026-01-02.jsonl.gz line 701 is not JSON ({"product": {"sku": 1); fix the line, or import the rest with --skip-invalid.');

  const skipped = await readScrapeFile(file, { skipInvalid: true });
  const expected = { rows: [] as unknown[], rejects: [] as unknown[] };
  for await (const { lineNo, text } of scrapeLines(file)) {
    const verdict = checkLine(text, lineNo);
    if (verdict.ok) expected.rows.push(verdict.row);
    else expected.rejects.push({ lineNo, reason: verdict.reason, text });
  }
  t.deepEqual(skipped.rejects, expected.rejects);
  t.deepEqual(
    skipped.rejects.map((r) => r.lineNo),
    [701, 1_201],
  );
  t.deepEqual(skipped.rows, expected.rows);
  t.is(skipped.rows.length, 1_500);
});
