/**
 * The pairs file of `subs generate --out` and `subs apply`: JSON Lines, a header naming the levels
 * that ran, then one {@link SubstitutionPair} per line, exactly as generators produce them.
 * Written to a temporary file and renamed, so a file is never half-written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InputError, type SubstitutionPair } from '@trolley/core';
import { pairProblem } from './pair-record.js';

const FORMAT = 'trolley-substitutions';
const VERSION = 1;

export interface PairsFile {
  readonly levels: number[];
  readonly pairs: SubstitutionPair[];
}

export async function writePairsFile(file: string, contents: PairsFile): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) throw new InputError(`The folder ${folder} does not exist; create it or give --out a path in an existing folder.`, 'folder-missing');
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.tmp`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temporary, 'w');
    let chunk = JSON.stringify({ format: FORMAT, version: VERSION, levels: contents.levels, pairs: contents.pairs.length }) + '\n';
    for (const { a, b, level, score } of contents.pairs) {
      chunk += JSON.stringify({ a, b, level, score }) + '\n';
      if (chunk.length > 1 << 20) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(temporary, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    fs.rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC') throw new InputError(`Cannot write ${file} (${code}); choose another --out path.`, 'unwritable', error);
    throw error;
  }
}

export async function readPairsFile(file: string): Promise<PairsFile> {
  const name = path.basename(file);
  if (!fs.existsSync(file)) throw new InputError(`${file} does not exist; write one with trolley subs generate --out ${name}.`, 'file-missing');
  const lines = createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  const pairs: SubstitutionPair[] = [];
  let levels: number[] | undefined;
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(`${name} line ${lineNo} is not JSON; fix the line or write the file again with trolley subs generate --out.`, 'invalid-line');
    }
    if (levels === undefined) {
      levels = headerLevels(value);
      if (!levels) throw new InputError(`${name} line ${lineNo} is not a ${FORMAT} header (version ${VERSION}); the file must come from trolley subs generate --out.`, 'invalid-header');
      continue;
    }
    const problem = pairProblem(value);
    if (problem) throw new InputError(`${name} line ${lineNo} ${problem}; fix the line or write the file again with trolley subs generate --out.`, 'invalid-line');
    const { a, b, level, score } = value as SubstitutionPair;
    if (!levels.includes(level)) throw new InputError(`${name} line ${lineNo} has level ${level}, which the header does not list (${levels.join(', ')}); fix the header or the line.`, 'invalid-line');
    pairs.push({ a, b, level, score });
  }
  if (!levels) throw new InputError(`${name} is empty; write it with trolley subs generate --out.`, 'empty-file');
  return { levels, pairs };
}

function headerLevels(value: unknown): number[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const header = value as { format?: unknown; version?: unknown; levels?: unknown };
  if (header.format !== FORMAT || header.version !== VERSION || !Array.isArray(header.levels)) return undefined;
  return header.levels.every((l) => Number.isInteger(l) && l >= 1) ? (header.levels as number[]) : undefined;
}
