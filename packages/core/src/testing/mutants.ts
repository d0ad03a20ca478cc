/**
 * Mutants of real scrape files, for the chaos tests and `npm run bench -- chaos`: each class breaks
 * a file the way a disk, a scraper or a hand edit has broken one, and says what import must do with
 * it:
 * - `refused`: the file fails (exit 3) with a sentence naming it — and the line, when `line` is
 *   set — and the database holds exactly what a clean import of the other files holds;
 * - `equal`: the file is read as the original was (the database equals a clean import);
 * - `same-prices`: imported, and every store's prices by company SKU are those of a clean import
 *   (a barcode must not move a price onto another product);
 * - `either`: refused as above, or imported without losing a line of any other store.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export type MutantExpectation = 'refused' | 'equal' | 'same-prices' | 'either';

export interface Mutant {
  readonly kind: string;
  readonly expect: MutantExpectation;
  /** The file's new bytes (gzipped again when the original was). */
  readonly bytes: Buffer;
  /** The 1-based line the refusal must name, when a line is the cause. */
  readonly line?: number;
}

type Random = () => number;
type Record = { product: { [key: string]: unknown }; metadata: { [key: string]: unknown } };

interface MutantClass {
  readonly kind: string;
  readonly expect: MutantExpectation;
  /** Only for gzipped files. */
  readonly gzipOnly?: boolean;
  /** The mutated text, or raw bytes; `line` when the refusal must name one. */
  mutate(lines: string[], random: Random, raw: Buffer): { text?: string; bytes?: Buffer; line?: number };
}

/** A seeded generator (mulberry32), so a failing mutant can be made again from its seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random: Random, n: number) => Math.floor(random() * n);
const joined = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('');

/** Rewrites one line's record; the refusal must name that line. */
function editLine(edit: (record: Record, random: Random) => void, serialise: (record: Record) => string = (r) => JSON.stringify(r)) {
  return (lines: string[], random: Random) => {
    const i = pick(random, lines.length);
    const record = JSON.parse(lines[i]!) as Record;
    edit(record, random);
    const out = [...lines];
    out[i] = serialise(record);
    return { text: joined(out), line: i + 1 };
  };
}

/** A valid EAN-13 that no real line carries (prefix 200, in-store numbers). */
function ean13(random: Random): string {
  const digits = `200${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
  const sum = [...digits].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

export const MUTANT_CLASSES: readonly MutantClass[] = [
  {
    kind: 'truncated line',
    expect: 'refused',
    mutate(lines, random) {
      const i = pick(random, lines.length);
      const cut = 1 + pick(random, lines[i]!.length - 2);
      return { text: joined(lines.slice(0, i)) + lines[i]!.slice(0, cut), line: i + 1 };
    },
  },
  {
    kind: 'truncated gzip',
    expect: 'refused',
    gzipOnly: true,
    mutate(_lines, random, raw) {
      return { bytes: raw.subarray(0, 10 + pick(random, raw.length - 11)) };
    },
  },
  {
    kind: 'byte flip',
    expect: 'either',
    mutate(lines, random) {
      const bytes = Buffer.from(joined(lines));
      const at = pick(random, bytes.length);
      bytes[at] = bytes[at]! ^ (1 + pick(random, 255));
      return { bytes };
    },
  },
  {
    kind: 'invalid UTF-8',
    expect: 'refused',
    mutate(lines, random) {
      const i = pick(random, lines.length);
      const text = joined(lines.slice(0, i));
      const at = lines[i]!.indexOf('"name": "') + 9;
      const bytes = Buffer.concat([Buffer.from(text + lines[i]!.slice(0, at)), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(lines[i]!.slice(at) + '\n' + joined(lines.slice(i + 1)))]);
      return { bytes, line: i + 1 };
    },
  },
  { kind: 'NUL in a name', expect: 'refused', mutate: editLine((r) => (r.product.name = `${String(r.product.name)}\u0000`)) },
  {
    kind: 'raw NUL byte',
    expect: 'refused',
    mutate(lines, random) {
      const i = pick(random, lines.length);
      const at = lines[i]!.indexOf('"name": "') + 9;
      const out = [...lines];
      out[i] = `${lines[i]!.slice(0, at)}\u0000${lines[i]!.slice(at)}`;
      return { text: joined(out), line: i + 1 };
    },
  },
  {
    kind: 'huge number',
    expect: 'refused',
    mutate: editLine(
      (r, random) => {
        const which = pick(random, 3);
        if (which === 0) r.product.price_current = '__HUGE__';
        else if (which === 1) r.product.price_current = 1e300;
        else {
          // Beyond numeric(14,4) per kg: the unit price string is what import reads first.
          r.product.per_unit_price_string = '$99999999999.99 per 1 g';
          r.product.unit_price = 1e20;
        }
      },
      (r) => JSON.stringify(r).replace('"__HUGE__"', '1e999'),
    ),
  },
  { kind: 'impossible date', expect: 'refused', mutate: editLine((r, random) => (r.metadata.scraped_date = ['2025-02-30', '2025-13-01', '2025-09-31', '0000-01-01'][pick(random, 4)])) },
  {
    kind: 'future date',
    expect: 'refused',
    mutate(lines) {
      const out = lines.map((l) => {
        const r = JSON.parse(l) as Record;
        r.metadata.scraped_date = '2099-01-01';
        if ('scraped_date' in r.product) r.product.scraped_date = '2099-01-01';
        return JSON.stringify(r);
      });
      return { text: joined(out), line: 1 };
    },
  },
  { kind: 'deep categories', expect: 'refused', mutate: editLine((r) => (r.product.category_path = Array.from({ length: 10_000 }, (_, i) => `Level ${i}`))) },
  { kind: 'field bloat', expect: 'refused', mutate: editLine((r, random) => {
      if (pick(random, 2)) r.product.name = 'x'.repeat(10_000);
      else r.metadata.store_name = 'x'.repeat(10_000);
    }) },
  { kind: 'missing SKU', expect: 'refused', mutate: editLine((r) => delete r.product.sku) },
  { kind: 'price not a number', expect: 'refused', mutate: editLine((r, random) => (r.product.price_current = [null, 'abc', -1, 0, true][pick(random, 5)])) },
  {
    kind: 'duplicate key',
    expect: 'equal',
    mutate(lines, random) {
      // The same key twice with the same value: JSON allows it, and the line means what it meant.
      const i = pick(random, lines.length);
      const r = JSON.parse(lines[i]!) as Record;
      const out = [...lines];
      out[i] = lines[i]!.replace(/^\{"product": \{/, `{"product": {"sku": ${JSON.stringify(r.product.sku)}, `);
      return { text: joined(out) };
    },
  },
  { kind: 'byte-order mark', expect: 'equal', mutate: (lines) => ({ text: `\uFEFF${joined(lines)}` }) },
  { kind: 'CRLF line ends', expect: 'equal', mutate: (lines) => ({ text: lines.map((l) => `${l}\r\n`).join('') }) },
  {
    kind: 'barcode swap',
    expect: 'same-prices',
    mutate(lines, random) {
      // Two products of the file given the same barcode: the second carries another product's barcode.
      if (lines.length < 2) return { text: joined(lines) };
      const a = pick(random, lines.length);
      const b = (a + 1 + pick(random, lines.length - 1)) % lines.length;
      const barcode = ean13(random);
      const out = [...lines];
      for (const i of [a, b]) {
        const r = JSON.parse(lines[i]!) as Record;
        r.product.barcode = barcode;
        out[i] = JSON.stringify(r);
      }
      return { text: joined(out) };
    },
  },
];

/** The names of the classes, in order. */
export const MUTANT_KINDS = MUTANT_CLASSES.map((c) => c.kind);

/** One mutant of `kind` of a scrape file (its name tells whether it is gzipped). */
export function mutate(kind: string, name: string, original: Buffer, random: Random): Mutant {
  const cls = MUTANT_CLASSES.find((c) => c.kind === kind);
  if (!cls) throw new Error(`no mutant class "${kind}"`);
  const gz = name.endsWith('.gz');
  if (cls.gzipOnly && !gz) throw new Error(`${kind} mutates gzipped files only`);
  const text = (gz ? gunzipSync(original) : original).toString('utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const out = cls.mutate(lines, random, original);
  const plain = out.bytes ?? Buffer.from(out.text!);
  const bytes = gz && !cls.gzipOnly ? gzipSync(plain) : plain;
  return { kind, expect: cls.expect, bytes, line: out.line };
}

/** Whether a class can mutate this file. */
export function mutates(kind: string, name: string): boolean {
  return !MUTANT_CLASSES.find((c) => c.kind === kind)?.gzipOnly || name.endsWith('.gz');
}
