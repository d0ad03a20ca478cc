/**
 * pg_trgm's similarity and word similarity, computed in the server process the way PostgreSQL
 * computes them (contrib/pg_trgm, trgm_op.c), so an in-memory search ranks exactly as the SQL one:
 * - a text's words are its runs of letters and digits, lower-cased, each padded with two blanks in
 *   front and one behind; its trigrams are the 3-character windows of each padded word;
 * - similarity = shared distinct trigrams / distinct trigrams of both (single precision);
 * - word similarity (query, text) = the best, over runs of the text's trigram sequence, of shared
 *   distinct trigrams / (distinct trigrams of the query + of the run − shared), found by the same
 *   scan pg_trgm makes.
 * Trigrams are numbered by a {@link TrigramDictionary}, so a text is an array of small integers.
 */

/** Which characters make words: PostgreSQL asks the database's locale (see `wordCharacters`). */
export type WordCharacters = 'unicode' | 'ascii';

const WORD = { unicode: /[\p{L}\p{N}]/u, ascii: /[A-Za-z0-9]/ } as const;

/** The padded words' trigrams of `text`, in order, repeats kept (pg_trgm's generate_trgm_only). */
export function trigramsOf(text: string, words: WordCharacters): string[] {
  const isWord = WORD[words];
  const out: string[] = [];
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
}

/**
 * A text as the scorer needs it: its distinct trigram ids (`distinct`, ascending) and its trigram
 * sequence as positions into `distinct` (`sequence`).
 */
export interface TrigramText {
  readonly distinct: Int32Array;
  readonly sequence: Uint16Array | Uint32Array;
}

export function trigramText(trigrams: readonly number[]): TrigramText {
  const distinct = Int32Array.from(new Set(trigrams)).sort();
  const position = new Map<number, number>();
  distinct.forEach((id, i) => position.set(id, i));
  const sequence = distinct.length < 65_536 ? new Uint16Array(trigrams.length) : new Uint32Array(trigrams.length);
  trigrams.forEach((id, i) => (sequence[i] = position.get(id)!));
  return { distinct, sequence };
}

/** pg_trgm's CALCSML in single precision: shared / (a + b − shared). */
function ratio(shared: number, a: number, b: number): number {
  return Math.fround(shared / (a + b - shared));
}

/** similarity(query, text) given how many distinct trigrams they share. */
export function similarity(shared: number, queryDistinct: number, text: TrigramText): number {
  const union = queryDistinct + text.distinct.length - shared;
  return union === 0 ? 0 : ratio(shared, queryDistinct, text.distinct.length);
}

/**
 * word_similarity(query, text): `inQuery(id)` says whether a trigram id is one of the query's
 * `queryDistinct` distinct trigrams. A port of pg_trgm's iterate_word_similarity (not strict, full
 * maximum), so ties and rounding come out as PostgreSQL's.
 */
export function wordSimilarity(inQuery: (id: number) => boolean, queryDistinct: number, text: TrigramText): number {
  const { distinct, sequence } = text;
  const found = new Uint8Array(distinct.length);
  for (let i = 0; i < distinct.length; i++) found[i] = inQuery(distinct[i]!) ? 1 : 0;
  const lastpos = new Int32Array(distinct.length).fill(-1);
  let ulen2 = 0;
  let count = 0;
  let upper = -1;
  let lower = -1;
  let best = 0;
  for (let i = 0; i < sequence.length; i++) {
    const index = sequence[i]!;
    if (lower >= 0 || found[index]) {
      if (lastpos[index]! < 0) {
        ulen2++;
        if (found[index]) count++;
      }
      lastpos[index] = i;
    }
    if (!found[index]) continue;
    upper = i;
    if (lower === -1) {
      lower = i;
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
      const tmpIndex = sequence[tmpLower]!;
      if (lastpos[tmpIndex] === tmpLower) {
        tmpUlen2--;
        if (found[tmpIndex]) tmpCount--;
      }
    }
    best = Math.max(best, current);
    for (let tmpLower = previousLower; tmpLower < lower; tmpLower++) {
      const tmpIndex = sequence[tmpLower]!;
      if (lastpos[tmpIndex] === tmpLower) lastpos[tmpIndex] = -1;
    }
  }
  return best;
}

/** PostgreSQL's round(double precision): to the nearest integer, halves to even (rint). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
