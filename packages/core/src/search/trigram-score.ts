/**
 * pg_trgm's similarity and word similarity, computed in the server process the way PostgreSQL
 * computes them (contrib/pg_trgm, trgm_op.c), so an in-memory search ranks exactly as the SQL one:
 * - a text's words are its runs of letters and digits, lower-cased, each padded with two blanks in
 *   front and one behind; its trigrams are the 3-character windows of each padded word;
 * - similarity = shared distinct trigrams / distinct trigrams of both (single precision);
 * - word similarity (query, text) = the best, over runs of the text's trigram sequence, of shared
 *   distinct trigrams / (distinct trigrams of the query + of the run − shared), found by the same
 *   scan pg_trgm makes.
 * Trigrams are numbered by a {@link TrigramDictionary}, so a text is an array of small integers;
 * {@link TrigramTexts} holds many texts packed in a few typed arrays.
 */

/** Which characters make words: PostgreSQL asks the database's locale (see `wordCharacters`). */
export type WordCharacters = 'unicode' | 'ascii';

const WORD = { unicode: /[\p{L}\p{N}]/u, ascii: /[A-Za-z0-9]/ } as const;

/** The padded words' trigrams of `text`, in order, repeats kept (pg_trgm's generate_trgm_only). */
export function trigramsOf(text: string, words: WordCharacters): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  // Plain ASCII (nearly every product name) is split by character code; anything else by code point.
  if (/^[\x00-\x7f]*$/.test(lower)) {
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 0;
      const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        const padded = '  ' + lower.slice(start, i) + ' ';
        for (let j = 0; j + 3 <= padded.length; j++) out.push(padded.slice(j, j + 3));
        start = -1;
      }
    }
    return out;
  }
  const isWord = WORD[words];
  let word: string[] = [];
  const flush = () => {
    if (word.length === 0) return;
    // Lower-cased as a whole word, then split by code point (a lower case can be longer).
    const chars = [' ', ' ', ...Array.from(word.join('').toLowerCase()), ' '];
    for (let i = 0; i + 3 <= chars.length; i++) out.push(chars[i]! + chars[i + 1]! + chars[i + 2]!);
    word = [];
  };
  for (const ch of text) {
    if (isWord.test(ch)) word.push(ch);
    else flush();
  }
  flush();
  return out;
}

/** Numbers trigrams: one id per distinct trigram seen. */
export class TrigramDictionary {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** The id of a trigram, numbering it if new. */
  add(trigram: string): number {
    let id = this.ids.get(trigram);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(trigram, id);
    }
    return id;
  }

  /** The id of a known trigram, or -1. */
  find(trigram: string): number {
    return this.ids.get(trigram) ?? -1;
  }

  /** The numbering as plain data (for a copy in a worker thread). */
  toData(): Map<string, number> {
    return this.ids;
  }

  static fromData(ids: Map<string, number>): TrigramDictionary {
    const dictionary = new TrigramDictionary();
    for (const [trigram, id] of ids) dictionary.ids.set(trigram, id);
    return dictionary;
  }
}

/** A growable list of 32-bit integers. */
class IntList {
  values: Int32Array = new Int32Array(1024);
  length = 0;

  /** The list's values (a copy, exactly as long). */
  toData(): Int32Array {
    return this.values.slice(0, this.length);
  }

  static fromData(values: Int32Array): IntList {
    const list = new IntList();
    list.values = values;
    list.length = values.length;
    return list;
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(Math.max(1024, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

export interface TrigramTextsData {
  readonly distinct: Int32Array;
  readonly distinctStart: Int32Array;
  readonly sequence: Int32Array;
  readonly sequenceStart: Int32Array;
}

/**
 * Many texts as trigram ids, packed in a few arrays (text i's distinct ids, ascending, and its
 * trigram sequence as positions into those), with the similarities of a query to any of them.
 */
export class TrigramTexts {
  private distinct = new IntList();
  private distinctStart = new IntList();
  private sequence = new IntList();
  private sequenceStart = new IntList();
  /** Scratch space of {@link wordSimilarity}, grown as texts need. */
  private found = new Uint8Array(64);
  private lastpos = new Int32Array(64);

  constructor() {
    this.distinctStart.push(0);
    this.sequenceStart.push(0);
  }

  get size(): number {
    return this.distinctStart.length - 1;
  }

  /** The texts as plain data (typed arrays, for a copy in a worker thread). */
  toData(): TrigramTextsData {
    return { distinct: this.distinct.toData(), distinctStart: this.distinctStart.toData(), sequence: this.sequence.toData(), sequenceStart: this.sequenceStart.toData() };
  }

  static fromData(data: TrigramTextsData): TrigramTexts {
    const texts = new TrigramTexts();
    texts.distinct = IntList.fromData(data.distinct);
    texts.distinctStart = IntList.fromData(data.distinctStart);
    texts.sequence = IntList.fromData(data.sequence);
    texts.sequenceStart = IntList.fromData(data.sequenceStart);
    return texts;
  }

  /** Adds a text given its trigram ids in order; its number is the count before. */
  add(trigrams: readonly number[]): void {
    const sorted = Int32Array.from(trigrams).sort();
    const start = this.distinct.length;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) this.distinct.push(sorted[i]!);
    const end = this.distinct.length;
    for (const id of trigrams) this.sequence.push(positionOf(this.distinct.values, start, end, id) - start);
    this.distinctStart.push(end);
    this.sequenceStart.push(this.sequence.length);
  }

  /** How many distinct trigrams text `i` has. */
  distinctCount(i: number): number {
    return this.distinctStart.values[i + 1]! - this.distinctStart.values[i]!;
  }

  /** The most distinct trigrams any text has. */
  get mostDistinct(): number {
    let most = 0;
    for (let i = 0; i < this.size; i++) most = Math.max(most, this.distinctCount(i));
    return most;
  }

  /** The distinct trigram ids of text `i`. */
  distinctOf(i: number): Int32Array {
    return this.distinct.values.subarray(this.distinctStart.values[i]!, this.distinctStart.values[i + 1]!);
  }

  /** How many of the query's distinct trigrams (`inQuery[id]` = 1) text `i` has. */
  shared(i: number, inQuery: Uint8Array): number {
    const ids = this.distinct.values;
    let shared = 0;
    for (let j = this.distinctStart.values[i]!, end = this.distinctStart.values[i + 1]!; j < end; j++) shared += inQuery[ids[j]!]!;
    return shared;
  }

  /** similarity(query, text `i`) given how many distinct trigrams they share. */
  similarity(i: number, shared: number, queryDistinct: number): number {
    return similarity(shared, queryDistinct, this.distinctCount(i));
  }

  /**
   * word_similarity(query, text `i`): `inQuery[id]` is 1 for each of the query's `queryDistinct`
   * distinct trigram ids. A port of pg_trgm's iterate_word_similarity (not strict, full maximum),
   * so ties and rounding come out as PostgreSQL's.
   */
  wordSimilarity(i: number, inQuery: Uint8Array, queryDistinct: number): number {
    const ids = this.distinct.values;
    const base = this.distinctStart.values[i]!;
    const distinctCount = this.distinctStart.values[i + 1]! - base;
    const sequence = this.sequence.values;
    const first = this.sequenceStart.values[i]!;
    const length = this.sequenceStart.values[i + 1]! - first;
    if (this.found.length < distinctCount) {
      this.found = new Uint8Array(distinctCount * 2);
      this.lastpos = new Int32Array(distinctCount * 2);
    }
    const found = this.found;
    const lastpos = this.lastpos;
    for (let k = 0; k < distinctCount; k++) {
      found[k] = inQuery[ids[base + k]!]!;
      lastpos[k] = -1;
    }
    let ulen2 = 0;
    let count = 0;
    let upper = -1;
    let lower = -1;
    let best = 0;
    for (let p = 0; p < length; p++) {
      const index = sequence[first + p]!;
      if (lower >= 0 || found[index]) {
        if (lastpos[index]! < 0) {
          ulen2++;
          if (found[index]) count++;
        }
        lastpos[index] = p;
      }
      if (!found[index]) continue;
      upper = p;
      if (lower === -1) {
        lower = p;
        ulen2 = 1;
      }
      let current = ratio(count, queryDistinct, ulen2);
      let tmpCount = count;
      let tmpUlen2 = ulen2;
      const previousLower = lower;
      for (let tmpLower = lower; tmpLower <= upper; tmpLower++) {
        const tmp = ratio(tmpCount, queryDistinct, tmpUlen2);
        if (tmp > current) {
          current = tmp;
          ulen2 = tmpUlen2;
          lower = tmpLower;
          count = tmpCount;
        }
        const tmpIndex = sequence[first + tmpLower]!;
        if (lastpos[tmpIndex] === tmpLower) {
          tmpUlen2--;
          if (found[tmpIndex]) {
            tmpCount--;
            // A window starting further right has at most tmpCount of the query's trigrams (and at
            // least as many trigrams of its own), so its ratio is at most tmpCount / queryDistinct:
            // once that is no more than the window kept, none of the rest replaces it (the
            // comparison is strict), and stopping leaves every variable as the full loop would.
            if (Math.fround(tmpCount / queryDistinct) <= current) break;
          }
        }
      }
      if (current > best) best = current;
      for (let tmpLower = previousLower; tmpLower < lower; tmpLower++) {
        const tmpIndex = sequence[first + tmpLower]!;
        if (lastpos[tmpIndex] === tmpLower) lastpos[tmpIndex] = -1;
      }
    }
    return best;
  }
}

/** similarity of a query with `queryDistinct` distinct trigrams and a text with `own`, sharing `shared` of them. */
export function similarity(shared: number, queryDistinct: number, own: number): number {
  return queryDistinct + own - shared === 0 ? 0 : ratio(shared, queryDistinct, own);
}

/** Where `id` is in the ascending `ids[start, end)` (it is there). */
function positionOf(ids: Int32Array, start: number, end: number, id: number): number {
  let low = start;
  let high = end - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** pg_trgm's CALCSML in single precision: shared / (a + b − shared). */
function ratio(shared: number, a: number, b: number): number {
  return Math.fround(shared / (a + b - shared));
}

/** PostgreSQL's round(double precision): to the nearest integer, halves to even (rint). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
