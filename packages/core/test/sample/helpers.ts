import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExecutionContext } from 'ava';
import { generateSample, type SampleOptions, type SampleResult } from '../../src/sample/generate-sample.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Product = Record<string, Json>;
export interface Line {
  product: Product;
  metadata: Record<string, Json>;
}

export function tempDir(t: ExecutionContext, name = 'trolley-sample-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const SMALL: Omit<SampleOptions, 'outDir'> = {
  seed: 1,
  stores: 8,
  products: 120,
  days: 1,
  endDate: '2026-01-31',
  companies: ['coles', 'woolworths', 'aldi', 'iga'],
  zones: 2,
  rogueStores: 1,
  quirks: { legacyKeys: false, aldiUnitPriceDividedTwice: false },
};

/** Generates into a fresh temporary directory. */
export async function sample(t: ExecutionContext, options: Partial<Omit<SampleOptions, 'outDir'>> = {}): Promise<{ dir: string; result: SampleResult }> {
  const dir = tempDir(t);
  const result = await generateSample({ ...SMALL, ...options, outDir: dir });
  return { dir, result };
}

export function rawLines(file: string): string[] {
  const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readLines(file: string): Line[] {
  return rawLines(file).map((text) => JSON.parse(text) as Line);
}

/** The GS1 check, written independently of the generator: weights 3, 1, 3, ... from the right, check digit excluded. */
export function hasValidGs1CheckDigit(code: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const check = digits.pop();
  let sum = 0;
  digits.reverse().forEach((d, i) => (sum += d * (i % 2 === 0 ? 3 : 1)));
  return (10 - (sum % 10)) % 10 === check;
}

/** The comparable price of a product line: shelf price, was price, special flag. */
export function priceOf(p: Product): string {
  return `${String(p.price_current)}|${String(p.price_was)}|${String(p.is_on_special)}`;
}

/** sku → price of every line of a file. */
export function pricesBySku(file: string): Map<string, string> {
  return new Map(readLines(file).map((l) => [String(l.product.sku), priceOf(l.product)]));
}

/** Share of the common SKUs whose prices differ. */
export function differentShare(a: Map<string, string>, b: Map<string, string>): { common: number; share: number } {
  let common = 0;
  let different = 0;
  for (const [sku, price] of a) {
    const other = b.get(sku);
    if (other === undefined) continue;
    common++;
    if (other !== price) different++;
  }
  return { common, share: common === 0 ? 0 : different / common };
}
