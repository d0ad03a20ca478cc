/**
 * Keyset pagination for the export API (docs/bargains.md, docs/commands.md): every page is ordered by a unique key and the
 * next page starts after the last key seen, so rows inserted meanwhile can never make a reader
 * loop or skip. The cursor is opaque (base64url JSON of the key); `?after=ID` is accepted where
 * the key is one id.
 */
import { parseIsoDate } from '../cli/date-options.js';

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 5_000;

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly code = 'bad-request',
  ) {
    super(message);
  }
}

export type Key = readonly number[];

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('cursor is not a cursor this API gave out; start again without it.', 'bad-cursor');
  }
  if (!Array.isArray(key) || key.length !== parts || !key.every((k) => Number.isSafeInteger(k) && k >= 0)) {
    throw new BadRequest('cursor is not a cursor this API gave out; start again without it.', 'bad-cursor');
  }
  return key as number[];
}

export function pageSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PAGE;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PAGE) throw new BadRequest(`limit must be a whole number from 1 to ${MAX_PAGE}, not "${value}".`, 'bad-limit');
  return Number(value);
}

/** The key a page starts after: from `cursor`, or `after` (one id), or the beginning. */
export function startKey(query: { cursor?: string | undefined; after?: string | undefined }, parts: number): Key | undefined {
  if (query.cursor !== undefined && query.after !== undefined) throw new BadRequest('give cursor or after, not both.', 'bad-cursor');
  if (query.cursor !== undefined) return decodeCursor(query.cursor, parts);
  if (query.after === undefined) return undefined;
  if (parts !== 1 || !/^\d{1,15}$/.test(query.after)) throw new BadRequest(parts === 1 ? `after must be an id, not "${query.after}".` : 'after is not accepted here; follow the next link (cursor).', 'bad-after');
  return [Number(query.after)];
}

export function idList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = value.split(',');
  if (parts.length > MAX_PAGE || parts.some((p) => !/^\d{1,15}$/.test(p.trim()))) throw new BadRequest(`${name} must be comma-separated ids (at most ${MAX_PAGE}), not "${value.slice(0, 60)}".`, 'bad-ids');
  return [...new Set(parts.map((p) => Number(p.trim())))];
}

export function isoDate(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const date = parseIsoDate(value);
  // Year 0000 does not exist in PostgreSQL; no price is older than 1900 anyway.
  if (date === undefined || date !== value || date < '1900-01-01') throw new BadRequest(`${name} must be a date (YYYY-MM-DD) from 1900-01-01 on, not "${value.slice(0, 40)}".`, 'bad-date');
  return date;
}
