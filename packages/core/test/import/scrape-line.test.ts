import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkLine, checkLineBytes, sampledKey } from '../../src/import/scrape-line.js';
import type { LineVerdict, RecordOptions } from '../../src/import/scrape-record.js';
import { lineHash } from '../../src/import/store-digest.js';
import { line, REAL } from './scrape-fixtures.js';

/** The verdict the import takes: from the line's bytes (set between other lines), else from its text. */
function fromBytes(text: string, lineNo: number, options: RecordOptions): { verdict: LineVerdict; decoded: boolean } {
  const bytes = Buffer.from(`{"x": 1}\n${text}\n{"y": 2}`);
  const start = bytes.indexOf(10) + 1;
  const known = checkLineBytes(bytes, start, start + Buffer.byteLength(text), lineNo, options);
  return known !== undefined ? { verdict: known, decoded: false } : { verdict: checkLine(text, lineNo, options), decoded: true };
}

/** Checks each line twice (the second time its product is known) against the whole parse ({@link checkLine}); the lines read without decoding. */
function sameAsWhole(t: { deepEqual(a: unknown, b: unknown, message?: string): void }, lines: readonly string[], options: RecordOptions = {}): number {
  let undecoded = 0;
  for (let round = 0; round < 2; round++) {
    lines.forEach((text, i) => {
      const { verdict, decoded } = fromBytes(text, i + 1, options);
      if (!decoded) undecoded++;
      // A row read from bytes carries its line hash, worked out once for its product part.
      if (verdict.ok && !decoded) t.deepEqual(verdict.row.hash, lineHash(verdict.row));
      const unhashed = verdict.ok ? { ...verdict, row: { ...verdict.row, hash: undefined } } : verdict;
      t.deepEqual(unhashed, checkLine(text, i + 1, options), `round ${round + 1}, line ${i + 1}: ${text.slice(0, 120)}`);
    });
  }
  return undecoded;
}

const realLines = (file: string) => gunzipSync(fs.readFileSync(path.join(REAL, file))).toString('utf8').split('\n').filter((l) => l !== '');

test('real lines of four Aldi stores and an IGA store check as they do parsed whole, a product seen before included', (t) => {
  const lines = [
    ...realLines('aldi/aldi-albion-park-g501-2025-09-19.jsonl.gz'),
    ...realLines('aldi/aldi-cowra-g439-2025-09-19.jsonl.gz'),
    ...realLines('aldi/aldi-edgecliff-g467-2025-09-19.jsonl.gz'),
    ...realLines('iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz'),
  ];
  // The stores list the same product text: one key per distinct text (but for a rare collision).
  const keys = new Set(lines.map((l) => {
    const bytes = Buffer.from(l);
    return sampledKey(bytes, '{"product":'.length, bytes.lastIndexOf(', "metadata":'));
  }));
  const texts = new Set(lines.map((l) => l.slice(0, l.lastIndexOf('"metadata":'))));
  t.true(texts.size < lines.length * 0.6, `${texts.size} product texts in ${lines.length} lines`);
  t.true(keys.size >= texts.size - 2, `${keys.size} keys for ${texts.size} texts`);
  // Every real line is in the layout read from bytes, and none has a problem.
  t.is(sameAsWhole(t, lines, { allowFutureDates: true }), 2 * lines.length);
});

const product = { sku: 'A1', name: 'Rice 1kg', brand: 'ACME', price_current: 2.5 };
const good = line(product);

test('a known product text with metadata that has a problem reports that problem', (t) => {
  sameAsWhole(t, [
    good,
    // Metadata of the same length, another store.
    line(product, { store_id: 'G2' }),
    line(product, { company: '' }),
    line(product, { store_id: null }),
    line(product, { scraped_date: '2026-13-01' }),
    line(product, { scraped_date: '2099-01-01' }),
    line(product, { store_name: 'x'.repeat(5_000) }),
    line(product, { state: 7 }),
    line(product, { partial: true }),
    good,
  ]);
});

test('metadata without a date takes the product date, store ids come from the options, and options are not mixed up', (t) => {
  const noDate = JSON.stringify({ product: { ...product, scraped_date: '2026-01-03' }, metadata: { company: 'aldi', store_id: 'G1' } });
  const noStore = JSON.stringify({ product, metadata: { company: 'aldi', scraped_date: '2026-01-01' } });
  sameAsWhole(t, [noDate, noStore, good]);
  sameAsWhole(t, [noDate, noStore, good], { storeId: 'G9', canonicalStoreId: (company, id) => `${company}:${id}` });
  const verdict = fromBytes(noStore, 1, { storeId: 'G9' }).verdict;
  t.true(verdict.ok && verdict.store.storeId === 'G9');
  // The same metadata text read for another import, with other options.
  const plain = fromBytes(good, 1, {}).verdict;
  const canonical = fromBytes(good, 1, { canonicalStoreId: (company, id) => `${company}:${id}` }).verdict;
  t.true(plain.ok && plain.store.storeId === 'G1');
  t.true(canonical.ok && canonical.store.storeId === 'aldi:G1');
});

test('the same product text under two companies: a product without a name or brand is keyed by its company', (t) => {
  const bare = { sku: '77', name: '???', price_current: 1 };
  sameAsWhole(t, [line(bare, { company: 'aldi' }), line(bare, { company: 'coles' }), line(bare, { company: 'Coles' })]);
  const [aldi, coles] = [fromBytes(line(bare, { company: 'aldi' }), 1, {}).verdict, fromBytes(line(bare, { company: 'coles' }), 1, {}).verdict];
  t.true(aldi.ok && coles.ok && aldi.row.nnbs !== coles.row.nnbs);
});

test('layouts the cut does not take, and lines that are not JSON, are read as they always were', (t) => {
  const p = JSON.stringify({ ...product, category_path: ['Pantry'] });
  const m = '{"company": "aldi", "store_id": "G1", "scraped_date": "2026-01-01"}';
  sameAsWhole(t, [
    `{"product": ${p}, "metadata": ${m}}`,
    `{"product":${p} ,\t"metadata":${m} }`,
    `{ "product": ${p}, "metadata": ${m}}`,
    `{"metadata": ${m}, "product": ${p}}`,
    `{"product": ${p}, "extra": 1, "metadata": ${m}}`,
    // No comma before "metadata": not JSON, whatever stands in its place.
    `{"product": ${p}; "metadata": ${m}}`,
    `{"product": ${p} "metadata": ${m}}`,
    // A "metadata" key inside the metadata: the cut falls inside M, P is not JSON, the line is parsed whole.
    `{"product": ${p}, "metadata": {"company": "aldi", "store_id": "G1", "scraped_date": "2026-01-01", "x": {"metadata": 1}}}`,
    // The product's own text names "metadata".
    `{"product": {"sku": "B", "name": "\\"metadata\\": tea", "price_current": 1, "note": {"metadata": 2}}, "metadata": ${m}}`,
    `{"product": ${p}, "metadata": ${m}}}`,
    `{"product": ${p}, "metadata": ${m}} x}`,
    `{"product": ${p}, "metadata": [${m}]}`,
    `{"product": ${p.slice(0, -1)}, "metadata": ${m}}`,
    `{"product": {"sku": "C", "name": "", "price_current": 1}, "metadata": ${m}}`,
    `{"product": {"sku": "C", "name": "Tea", "price_current": -1}, "metadata": ${m}}`,
    `{"product": ${p}, "metadata": ${m}}`,
  ]);
});

test('a kept row is a row of its own line: the line number and the values of each line', (t) => {
  fromBytes(good, 1, {});
  const first = fromBytes(good, 3, {}).verdict;
  const read = fromBytes(good, 9, {});
  const second = read.verdict;
  t.false(read.decoded);
  t.true(first.ok && second.ok);
  if (!first.ok || !second.ok) return;
  t.is(first.row.lineNo, 3);
  t.is(second.row.lineNo, 9);
  t.not(first.row, second.row);
  const dearer = fromBytes(line({ ...product, price_current: 2.75 }), 10, {}).verdict;
  t.true(dearer.ok && dearer.row.price === 2.75);
});

test('products under one sampled key are told apart by their bytes, past the bucket too', (t) => {
  // Names differing only where no byte is sampled: one key for all.
  const keyOf = (text: string) => {
    const bytes = Buffer.from(text);
    return sampledKey(bytes, '{"product":'.length, bytes.lastIndexOf(',"metadata":'));
  };
  const base = line({ sku: 'K1', name: `Tea ${'a'.repeat(300)}`, price_current: 4 });
  const same = [];
  for (let at = 0; at < 300 && same.length < 24; at++) {
    const variant = line({ sku: 'K1', name: `Tea ${'a'.repeat(at)}b${'a'.repeat(299 - at)}`, price_current: 4 });
    if (keyOf(variant) === keyOf(base)) same.push(variant);
  }
  t.is(same.length, 24);
  sameAsWhole(t, [base, ...same]);
  const names = new Set(same.map((text, i) => {
    const { verdict } = fromBytes(text, i + 1, {});
    return verdict.ok ? verdict.row.name : '';
  }));
  t.is(names.size, 24);
});
