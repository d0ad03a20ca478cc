/**
 * Lines of a store list or a postcode list (JSON Lines, optionally gzipped), read and checked whole
 * before anything is written: a bad line is one sentence naming the file and line, and nothing is
 * imported.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { scrapeLines } from '../import/scrape-lines.js';

export interface StoreLine {
  readonly company: string;
  readonly store_id: string;
  readonly name: string | null;
  readonly suburb: string | null;
  /** Upper-case (`NSW`), as the lists write it. */
  readonly state: string | null;
  readonly postcode: string | null;
  /** Null when unknown (absent, or the 0,0 some lists write for "unknown"). */
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export interface PostcodeLine {
  readonly postcode: string;
  readonly state: string;
  readonly latitude: number;
  readonly longitude: number;
}

export async function readStoreLines(file: string): Promise<StoreLine[]> {
  return readLines(file, (row, bad) => {
    const company = text(row.company)?.toLowerCase();
    const storeId = text(row.store_id);
    if (!company) bad('has no company');
    if (!storeId) bad('has no store_id');
    const { latitude, longitude } = coordinates(row, bad);
    return { company: company!, store_id: storeId!, name: text(row.name), suburb: text(row.suburb), state: text(row.state)?.toUpperCase() ?? null, postcode: text(row.postcode), latitude, longitude };
  });
}

export async function readPostcodeLines(file: string): Promise<PostcodeLine[]> {
  return readLines(file, (row, bad) => {
    const postcode = text(row.postcode);
    const state = text(row.state)?.toUpperCase();
    if (!postcode || !/^\d{4}$/.test(postcode)) bad(`has postcode ${JSON.stringify(row.postcode ?? null)}, not four digits`);
    if (!state) bad('has no state');
    const { latitude, longitude } = coordinates(row, bad);
    if (latitude === null || longitude === null) bad('has no coordinates');
    return { postcode: postcode!, state: state!, latitude: latitude!, longitude: longitude! };
  });
}

type Bad = (problem: string) => never;

async function readLines<T>(file: string, check: (row: Record<string, unknown>, bad: Bad) => T): Promise<T[]> {
  const rows: T[] = [];
  const name = path.basename(file);
  try {
    for await (const { lineNo, text: line } of scrapeLines(file)) {
      if (line.trim() === '') continue;
      const bad: Bad = (problem) => {
        throw new InputError(`${name} line ${lineNo} ${problem}; fix or remove that line and run again (nothing was imported).`, 'bad-line');
      };
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        bad(`is not JSON (${line.length > 40 ? `${line.slice(0, 40)}…` : line})`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('is not a JSON object');
      rows.push(check(parsed as Record<string, unknown>, bad));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${file} does not exist; give the path of a .jsonl or .jsonl.gz file.`, 'no-file');
    throw error;
  }
  if (rows.length === 0) throw new InputError(`${name} holds no lines; give a file with one JSON object per line.`, 'empty-file');
  return rows;
}

function coordinates(row: Record<string, unknown>, bad: Bad): { latitude: number | null; longitude: number | null } {
  const latitude = number(row.latitude);
  const longitude = number(row.longitude);
  if (latitude === undefined || longitude === undefined) bad(`has coordinates ${JSON.stringify([row.latitude, row.longitude])} that are not numbers`);
  if (latitude === null || longitude === null || (latitude === 0 && longitude === 0)) return { latitude: null, longitude: null };
  if (Math.abs(latitude!) > 90 || Math.abs(longitude!) > 180) bad(`has coordinates ${latitude}, ${longitude} outside the globe`);
  return { latitude: latitude!, longitude: longitude! };
}

/** A number from a number or numeric text; null when absent or empty; undefined when not a number. */
function number(value: unknown): number | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
