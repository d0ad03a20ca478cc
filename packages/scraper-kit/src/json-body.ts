/** Reading a JSON body and walking its paths, with a {@link MalformedBody} that says what was wrong. */
import { MalformedBody } from './malformed-body.js';

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedBody(`the body is not JSON (${text.trim().slice(0, 60) || 'empty'}${text.trim().length > 60 ? '…' : ''})`);
  }
}

/** The array at `path` (`data`, `Bundles`), or a {@link MalformedBody} naming the path. */
export function arrayAt(value: unknown, path: string): unknown[] {
  const found = valueAt(value, path);
  if (!Array.isArray(found)) throw new MalformedBody(`the body has no ${path} list`);
  return found;
}

export function valueAt(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed non-empty text from a string or number; null otherwise. */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A finite number from a number or numeric text; null otherwise. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** `$4.69` → 4.69; null when there is no dollar amount. */
export function dollarsOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const match = typeof value === 'string' ? /\$\s*(\d+(?:\.\d+)?)/.exec(value.replace(/,/g, '')) : null;
  return match ? Number(match[1]) : null;
}
