/**
 * The real listing samples (`--- Category: NAME ---` then a JSON array of raw products, as a
 * chain's listing API returned them), read into categories of raw products; and "larger pages made
 * from them": copies of the real products with their own SKUs, names and prices.
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface SampleCategory {
  readonly name: string;
  readonly products: ReadonlyArray<Record<string, unknown>>;
}

export function readListingSample(file: string): SampleCategory[] {
  const bytes = fs.readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const parts = text.split(/^--- Category: (.+?) ---(?:\\n)?/m);
  const categories: SampleCategory[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    categories.push({ name: parts[i]!.trim(), products: readArray(parts[i + 1]!) });
  }
  return categories;
}

/** A JSON array of objects; a sample cut off in the middle keeps its whole objects (two-space indented). */
function readArray(body: string): Array<Record<string, unknown>> {
  const text = body.trim().replace(/(\\n)+$/, '').trim();
  try {
    return JSON.parse(text) as Array<Record<string, unknown>>;
  } catch {
    const end = text.lastIndexOf('\n  }');
    return JSON.parse(`${text.slice(0, end)}\n  }\n]`) as Array<Record<string, unknown>>;
  }
}

export function readJsonFile(file: string): unknown {
  const bytes = fs.readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown;
}

/**
 * `count` products made from `templates` in turn: `vary(template, i)` returns the copy for
 * number `i` (a new SKU, name and price), so a category of any size keeps the real shape.
 */
export function makeProducts<T>(templates: readonly T[], count: number, vary: (template: T, i: number) => T): T[] {
  return Array.from({ length: count }, (_, i) => vary(structuredClone(templates[i % templates.length]!), i));
}
