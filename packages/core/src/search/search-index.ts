/**
 * Product search in the server's memory: the catalogue's search texts as trigrams, an inverted
 * index from trigram to products, and exact maps for barcodes and SKUs. It answers the questions
 * {@link searchProducts} answers with the same scores, order and keyset pages (trigram-score.ts
 * computes pg_trgm's similarities as PostgreSQL does), without a database round trip.
 *
 * {@link LiveProductSearch} keeps one current: at most every `checkEveryMs` a request starts a
 * check of the catalogue's change log (catalogue-changes.ts, one indexed query) in the background,
 * and a changed catalogue is read again while the old copy keeps answering.
 */
import { availableParallelism } from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WORD_SIMILARITY_THRESHOLD } from '../db/session-settings.js';
import { catalogueChangedSince, catalogueSnapshot } from './catalogue-changes.js';
import { SearchThreads } from './search-threads.js';
import { EXACT_MATCH_SCORE, type SearchHit, type SearchPage, type SearchQuery } from './product-search.js';
import { roundHalfEven, similarity, TrigramDictionary, trigramsOf, TrigramTexts, type TrigramTextsData, type WordCharacters } from './trigram-score.js';
import { trigramSchema } from './trigram.js';

type Product = Omit<SearchHit, 'score'>;

/** Rows read per statement while loading the catalogue. */
const LOAD_CHUNK = 5_000;
/** Search pages kept per copy of the catalogue (each some 2–5 kB). */
const KEPT_PAGES = 2_000;
/** A search reads a further posting list while it is at most this many times as long as the candidates it may spare scoring. */
const LIST_READ_PER_CANDIDATE = 4;

/** A {@link ProductSearchIndex} as plain data: what a worker thread is sent to search a copy of it. */
export interface SearchIndexData {
  readonly words: WordCharacters;
  readonly dictionary: Map<string, number>;
  readonly products: Product[];
  readonly texts: TrigramTextsData;
  readonly postings: Int32Array[];
  readonly listOf: Int32Array;
  readonly byBarcode: Map<string, number | number[]>;
  readonly bySku: Map<string, number | number[]>;
  readonly companies: Map<string, Uint8Array>;
  readonly categories: Array<{ id: number; path: string }>;
  readonly categoriesOf: Map<number, number[]>;
}

export class ProductSearchIndex {
  private dictionary = new TrigramDictionary();
  private products: Product[] = [];
  private texts = new TrigramTexts();
  /** The distinct posting lists (products by position, ascending), and each trigram's one of them. */
  private postings: Int32Array[] = [];
  private listOf: Int32Array = new Int32Array(0);
  /**
   * The long posting lists again as bitmaps by product position (bit `at & 31` of word `at >>> 5`):
   * a list of at least a 32nd of the products, so no bitmap is larger than its list.
   */
  private bitmaps: Array<Uint32Array | undefined> = [];
  /** Barcode or SKU → the product (position) with it, or the products when several have it. */
  private byBarcode = new Map<string, number | number[]>();
  private bySku = new Map<string, number | number[]>();
  /** Company name → which products (by position) it sells. */
  private companies = new Map<string, Uint8Array>();
  /** Category path (lower case) and id; product position → its category ids. */
  private categories: Array<{ id: number; path: string }> = [];
  private categoriesOf = new Map<number, number[]>();
  /** Scratch counters, one per product (zero between searches), and a list of candidates. */
  private hits = new Uint16Array(0);
  private candidates = new Int32Array(0);
  /** Scratch marks, one per trigram: 1 for the query's own, zero between searches. */
  private inQuery = new Uint8Array(0);
  /** Scratch: candidates by the most they could share; one group by own trigram count; counts. */
  private ordered = new Int32Array(0);
  private byOwn = new Int32Array(0);
  private ownCursor = new Int32Array(0);
  /** The pages asked most recently (search key → page), oldest first. */
  private readonly pages = new Map<string, SearchPage>();

  private constructor(private readonly words: WordCharacters) {}

  /** Reads the catalogue (pass a transaction: its reads must agree with one another). */
  static async load(trx: Knex.Transaction): Promise<ProductSearchIndex> {
    const trgm = await trigramSchema(trx);
    const { rows: probe } = await trx.raw<{ rows: Array<{ n: number | null }> }>(`select array_length(${trgm}.show_trgm('é'), 1) as n`);
    const index = new ProductSearchIndex(probe[0]?.n ? 'unicode' : 'ascii');
    const position = new Map<number, number>();
    const lists: number[][] = [];
    for (let after = 0; ; ) {
      const { rows } = await trx.raw<{ rows: Array<Record<string, unknown>> }>(
        `select p.id, p.name, b.name as brand, p.barcode, p.sizes, p.search_text from products p left join brands b on b.id = p.brand_id where p.id > ? order by p.id limit ?`,
        [after, LOAD_CHUNK],
      );
      for (const r of rows) {
        const at = index.products.length;
        const id = Number(r.id);
        position.set(id, at);
        index.products.push({ id, name: String(r.name), brand: (r.brand as string | null) ?? null, barcode: (r.barcode as string | null) ?? null, sizes: r.sizes as string[] });
        index.texts.add(trigramsOf(String(r.search_text ?? ''), index.words).map((t) => index.dictionary.add(t)));
        for (const t of index.texts.distinctOf(at)) (lists[t] ??= []).push(at);
        if (r.barcode !== null) addTo(index.byBarcode, String(r.barcode), at);
      }
      if (rows.length < LOAD_CHUNK) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    index.sharePostings(lists);
    index.allocateScratch();
    const { rows: skus } = await trx.raw<{ rows: Array<{ product_id: string | number; sku: string; company: string }> }>(
      `select k.product_id, k.sku, c.name as company from product_skus k join companies c on c.id = k.company_id`,
    );
    for (const r of skus) {
      const at = position.get(Number(r.product_id));
      if (at === undefined) continue;
      addTo(index.bySku, r.sku, at);
      let sells = index.companies.get(r.company);
      if (sells === undefined) index.companies.set(r.company, (sells = new Uint8Array(index.products.length)));
      sells[at] = 1;
    }
    const { rows: categories } = await trx.raw<{ rows: Array<{ id: string | number; path: string }> }>(`select id, path from categories`);
    for (const r of categories) index.categories.push({ id: Number(r.id), path: r.path });
    const { rows: links } = await trx.raw<{ rows: Array<{ product_id: string | number; category_id: string | number }> }>(`select product_id, category_id from product_categories`);
    for (const r of links) {
      const at = position.get(Number(r.product_id));
      if (at !== undefined) append(index.categoriesOf, at, Number(r.category_id));
    }
    return index;
  }

  /**
   * Keeps each distinct posting list once: the trigrams of a word few others have (`bac`, `aco`,
   * `con` of bacon) are on exactly the same products, and a search reads such a list once, counting
   * it as many times as the query has trigrams on it.
   */
  private sharePostings(lists: number[][]): void {
    const listOf = new Int32Array(this.dictionary.size);
    const byHash = new Map<string, number[]>();
    const postings: Int32Array[] = [];
    for (let t = 0; t < listOf.length; t++) {
      const list = lists[t] ?? [];
      let hash = 0x811c9dc5;
      for (const at of list) hash = Math.imul(hash ^ at, 0x01000193);
      const key = `${list.length}:${hash}`;
      const same = byHash.get(key);
      const found = same?.find((l) => sameList(postings[l]!, list));
      if (found !== undefined) {
        listOf[t] = found;
        continue;
      }
      listOf[t] = postings.length;
      if (same) same.push(postings.length);
      else byHash.set(key, [postings.length]);
      postings.push(Int32Array.from(list));
    }
    this.postings = postings;
    this.listOf = listOf;
  }

  /** The scratch arrays a search uses, sized for this catalogue. */
  private allocateScratch(): void {
    this.bitmaps = this.postings.map((list) => {
      if (list.length * 32 < this.products.length) return undefined;
      const bits = new Uint32Array((this.products.length + 31) >>> 5);
      for (let j = 0; j < list.length; j++) bits[list[j]! >>> 5]! |= 1 << (list[j]! & 31);
      return bits;
    });
    this.hits = new Uint16Array(this.products.length);
    this.candidates = new Int32Array(this.products.length);
    this.inQuery = new Uint8Array(this.dictionary.size);
    this.ordered = new Int32Array(this.products.length);
    this.byOwn = new Int32Array(this.products.length);
    this.ownCursor = new Int32Array(this.texts.mostDistinct + 1);
  }

  /** This copy as plain data, for {@link fromData} in another thread (its kept pages stay here). */
  toData(): SearchIndexData {
    const { words, products, postings, listOf, byBarcode, bySku, companies, categories, categoriesOf } = this;
    return { words, dictionary: this.dictionary.toData(), products, texts: this.texts.toData(), postings, listOf, byBarcode, bySku, companies, categories, categoriesOf };
  }

  /** A copy answering as the one {@link toData} was called on. */
  static fromData(data: SearchIndexData): ProductSearchIndex {
    const index = new ProductSearchIndex(data.words);
    index.dictionary = TrigramDictionary.fromData(data.dictionary);
    index.products = data.products;
    index.texts = TrigramTexts.fromData(data.texts);
    index.postings = data.postings;
    index.listOf = data.listOf;
    index.byBarcode = data.byBarcode;
    index.bySku = data.bySku;
    index.companies = data.companies;
    index.categories = data.categories;
    index.categoriesOf = data.categoriesOf;
    index.allocateScratch();
    return index;
  }

  get size(): number {
    return this.products.length;
  }

  /** How many trigrams the catalogue has, how many distinct posting lists hold their products, and how many of those are also bitmaps. */
  get postingLists(): { trigrams: number; lists: number; bitmaps: number } {
    return { trigrams: this.listOf.length, lists: this.postings.length, bitmaps: this.bitmaps.filter((b) => b !== undefined).length };
  }

  /**
   * One page of matches, as {@link searchProducts} gives it. The pages asked most recently are
   * kept with this copy of the catalogue (which never changes; a changed catalogue is a new copy),
   * so a query asked again is answered without scoring.
   */
  search(query: SearchQuery): SearchPage {
    const key = pageKey(query);
    return this.kept(key) ?? this.keep(key, this.page(query));
  }

  /** The page kept for a query's {@link pageKey}, if any (then it counts as asked most recently). */
  kept(key: string): SearchPage | undefined {
    const kept = this.pages.get(key);
    if (kept === undefined) return undefined;
    // Most recently asked last: the first in the map is the one to drop.
    this.pages.delete(key);
    this.pages.set(key, kept);
    return kept;
  }

  /** Keeps a page of this copy's (found here or by a copy of it in another thread), dropping the one asked longest ago. */
  keep(key: string, page: SearchPage): SearchPage {
    if (this.pages.size >= KEPT_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, page);
    return page;
  }

  /** One page of matches, found now (nothing kept). */
  page(query: SearchQuery): SearchPage {
    const raw = (query.q ?? '').trim();
    const q = raw.toLowerCase();
    const [afterScore, afterId] = query.after ?? [EXACT_MATCH_SCORE + 1, 0];
    const keep = this.filter(query);
    const after = (score: number, at: number) => score < afterScore || (score === afterScore && this.products[at]!.id > afterId);
    const want = query.limit + 1;
    let page: Array<{ at: number; score: number }> = [];
    if (q === '') {
      // Every product scores 0, in id order (the products are held in id order).
      for (let at = 0; at < this.products.length && page.length < want; at++) if (after(0, at) && keep(at)) page.push({ at, score: 0 });
    } else {
      page = this.best(raw, q, want, keep, after);
    }
    const items = page.slice(0, query.limit).map(({ at, score }) => {
      const { id, name, brand, barcode, sizes } = this.products[at]!;
      return { id, name, brand, barcode, sizes, score };
    });
    const last = items[items.length - 1];
    return page.length > query.limit && last ? { items, last: [last.score, last.id] } : { items };
  }

  /**
   * The best `want` matches of a query among the products `keep` accepts and after the page's key,
   * best first. Exact (barcode, SKU) matches score highest; a word match's score is bounded by the
   * share of the query's trigrams the product has (word similarity ≤ shared / query's trigrams), so
   * products are scored from the most shared down, and the scan stops once no product left could
   * make the page.
   */
  private best(raw: string, q: string, want: number, keep: (at: number) => boolean, after: (score: number, at: number) => boolean): Array<{ at: number; score: number }> {
    // Positions are in id order, so the lower position is the lower id.
    const order = (a: { at: number; score: number }, b: { at: number; score: number }) => b.score - a.score || a.at - b.at;
    const found: Array<{ at: number; score: number }> = [];
    const exact = new Set([this.byBarcode.get(raw) ?? [], this.bySku.get(raw) ?? []].flat());
    for (const at of exact) if (keep(at) && after(EXACT_MATCH_SCORE, at)) found.push({ at, score: EXACT_MATCH_SCORE });
    const distinct = new Set(trigramsOf(q, this.words));
    const queryTrigrams = distinct.size;
    // A word similarity of at least one half needs at least half of the query's trigrams.
    const least = Math.max(1, Math.ceil(queryTrigrams / 2));
    const known = [...distinct].map((t) => this.dictionary.find(t)).filter((t) => t >= 0);
    if (known.length < least) return found.sort(order).slice(0, want);
    // A product with `least` of the `known` trigrams has one of any `known - least + 1` of them:
    // the candidates are the products of the rarest lists that hold that many of the trigrams
    // (a list shared by several of them counts as many). How many of the trigrams on the lists
    // read a candidate has, plus those on the lists not read, bounds how many it shares.
    const weights = new Map<number, number>();
    for (const t of known) weights.set(this.listOf[t]!, (weights.get(this.listOf[t]!) ?? 0) + 1);
    const lists = [...weights.keys()].sort((a, b) => this.postings[a]!.length - this.postings[b]!.length);
    const weight = lists.map((l) => weights.get(l)!);
    const { candidates, hits, ordered, byOwn } = this;
    let count = 0;
    let read = 0;
    let unread = known.length;
    while (unread >= least) {
      const list = this.postings[lists[read]!]!;
      const w = weight[read]!;
      for (let j = 0; j < list.length; j++) {
        const at = list[j]!;
        if (hits[at] === 0) candidates[count++] = at;
        hits[at]! += w;
      }
      unread -= w;
      read++;
    }
    // The candidates by the most they could share, most first (a counting sort of source[from, to)
    // into ordered): then group `upper` is ordered[groupEnd[upper], groupEnd[upper - 1]).
    const groupEnd = new Int32Array(known.length + 2);
    const group = (from: number, to: number, source: Int32Array) => {
      const bias = unread;
      groupEnd.fill(0);
      for (let i = from; i < to; i++) groupEnd[hits[source[i]!]! + bias]!++;
      groupEnd[known.length + 1] = from;
      for (let upper = known.length; upper >= 0; upper--) groupEnd[upper]! += groupEnd[upper + 1]!;
      for (let i = from; i < to; i++) {
        const at = source[i]!;
        ordered[--groupEnd[hits[at]! + bias]!] = at;
      }
    };
    group(0, count, candidates);
    // The page so far: `floor` is the score of its last match, `floorAt` that match's position.
    let floor = -1;
    let floorAt = -1;
    const trim = () => {
      if (found.length < want) return;
      found.sort(order).length = want;
      floor = found[want - 1]!.score;
      floorAt = found[want - 1]!.at;
    };
    // Before a group is scored, with the page full: the candidates whose bound still reaches the
    // page's floor are all to be scored. The next rarest lists, while each is short beside them,
    // are read first (a candidate costs far more to score than a posting to read): they add no
    // candidate (a product on none of the lists read first cannot share enough), but each tightens
    // the bound of every candidate not on it; then the candidates not yet scored are grouped
    // again — only those whose bound reached the floor: a bound only falls, and a floor only rises.
    // With every list read, the counts are exact.
    const tighten = (upper: number) => {
      let lowest = upper;
      while (lowest > least && floor <= wordPart(lowest - 1, queryTrigrams) + 999) lowest--;
      const from = groupEnd[upper]!;
      const to = groupEnd[lowest - 1]!;
      const pending = to - from;
      const before = read;
      for (; read < lists.length; read++) {
        const list = this.postings[lists[read]!]!;
        const w = weight[read]!;
        const bits = this.bitmaps[lists[read]!];
        if (bits !== undefined && pending < list.length) {
          // A long list is looked up for each candidate still pending instead of read whole: only
          // their counts are used from here on (the rest scored already or out of reach for good).
          for (let i = from; i < to; i++) {
            const at = ordered[i]!;
            if ((bits[at >>> 5]! >>> (at & 31)) & 1) hits[at]! += w;
          }
        } else {
          if (list.length > pending * LIST_READ_PER_CANDIDATE * w) break;
          for (let j = 0; j < list.length; j++) {
            const at = list[j]!;
            if (hits[at] !== 0) hits[at]! += w;
          }
        }
        unread -= w;
      }
      if (read === before) return;
      byOwn.set(ordered.subarray(from, to), from);
      group(from, to, byOwn);
    };
    for (const t of known) this.inQuery[t] = 1;
    try {
      // A candidate's word similarity is at most the share of the query's trigrams it has, and its
      // similarity follows from that share and its own count of trigrams: each has a best possible
      // score. Groups of candidates are taken by the most they could share; within one, by their
      // own count (which bounds each one's score before its trigrams are read), best bound first,
      // until the page is full of scores above every bound left.
      for (let upper = known.length; upper >= least; upper--) {
        trim();
        if (floor > wordPart(upper, queryTrigrams) + 999) break;
        if (floor >= 0 && read < lists.length) tighten(upper);
        const first = groupEnd[upper]!;
        const last = groupEnd[upper - 1]!;
        // The group by own count (a counting sort into byOwn), and each count's best bound.
        const cursor = this.ownCursor.fill(0);
        for (let i = first; i < last; i++) cursor[this.texts.distinctCount(ordered[i]!)]!++;
        const owns: Array<{ start: number; end: number; best: number }> = [];
        for (let own = 0, start = first; own < cursor.length; own++) {
          const size = cursor[own]!;
          if (size === 0) continue;
          const most = Math.min(upper, own);
          owns.push({ start, end: start + size, best: wordPart(most, queryTrigrams) + roundHalfEven(similarity(most, queryTrigrams, own) * 999) });
          cursor[own] = start;
          start += size;
        }
        for (let i = first; i < last; i++) byOwn[cursor[this.texts.distinctCount(ordered[i]!)]!++] = ordered[i]!;
        owns.sort((a, b) => b.best - a.best);
        const exactCounts = unread === 0;
        // How many of the query's trigrams a candidate has: those on the lists read (its hits) and
        // those on the lists not read, looked up in their bitmaps when every one has one (the lists
        // not read are the longest); else counted from the candidate's own trigrams.
        const unreadBits: Uint32Array[] = [];
        const unreadWeight: number[] = [];
        for (let r = read; r < lists.length; r++) {
          const bits = this.bitmaps[lists[r]!];
          if (bits === undefined) {
            unreadBits.length = 0;
            break;
          }
          unreadBits.push(bits);
          unreadWeight.push(weight[r]!);
        }
        const byBitmaps = !exactCounts && unreadBits.length > 0;
        for (const { start, end, best } of owns) {
          if (floor > best) break;
          // In id order (positions are): once the page is full of scores these can at best tie,
          // each with a lower id, none of the rest can enter it.
          const members = byOwn.subarray(start, end).sort();
          for (let i = 0; i < members.length; i++) {
            const at = members[i]!;
            if (floor === best && at > floorAt) break;
            if (exact.size > 0 && exact.has(at)) continue;
            let shared: number;
            if (exactCounts) shared = hits[at]!;
            else if (byBitmaps) {
              shared = hits[at]!;
              for (let u = 0; u < unreadBits.length; u++) if ((unreadBits[u]![at >>> 5]! >>> (at & 31)) & 1) shared += unreadWeight[u]!;
            } else shared = this.texts.shared(at, this.inQuery);
            if (shared < least || !keep(at)) continue;
            const similar = roundHalfEven(this.texts.similarity(at, shared, queryTrigrams) * 999);
            if (floor > wordPart(shared, queryTrigrams) + similar) continue;
            const word = this.texts.wordSimilarity(at, this.inQuery, queryTrigrams);
            if (word < WORD_SIMILARITY_THRESHOLD) continue;
            const score = roundHalfEven(word * 1000) * 1000 + similar;
            if (!after(score, at)) continue;
            found.push({ at, score });
            if (found.length >= 2 * want) trim();
          }
        }
      }
    } finally {
      for (const t of known) this.inQuery[t] = 0;
      // Many candidates: clearing the whole array is cheaper than visiting each.
      if (count * 16 > hits.length) hits.fill(0);
      else for (let i = 0; i < count; i++) hits[candidates[i]!] = 0;
    }
    found.sort(order);
    found.length = Math.min(found.length, want);
    return found;
  }

  /** The company and category filters as a test of a product position. */
  private filter(query: SearchQuery): (at: number) => boolean {
    const tests: Array<(at: number) => boolean> = [];
    if (query.company !== undefined) {
      const sells = this.companies.get(query.company.toLowerCase());
      tests.push((at) => sells?.[at] === 1);
    }
    if (query.category !== undefined) {
      const pattern = likePattern(query.category);
      const wanted = new Set(this.categories.filter((c) => pattern.test(c.path)).map((c) => c.id));
      tests.push((at) => (this.categoriesOf.get(at) ?? []).some((id) => wanted.has(id)));
    }
    if (tests.length === 0) return () => true;
    return (at) => tests.every((test) => test(at));
  }
}

/** What identifies a query's page among those kept. */
export function pageKey(query: SearchQuery): string {
  return JSON.stringify([query.q ?? '', query.company ?? null, query.category ?? null, query.limit, query.after ?? null]);
}

/** The word part of a score (1,000 × word similarity, × 1,000) of a text sharing `shared` of the query's `queryDistinct` trigrams, at best. */
function wordPart(shared: number, queryDistinct: number): number {
  return roundHalfEven(Math.fround(shared / queryDistinct) * 1000) * 1000;
}

/** `path ilike '%' || text || '%'` as a regular expression (`%` and `_` are wildcards, `\` escapes). */
function likePattern(text: string): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) source += escape(text[++i]!);
    else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += escape(ch);
  }
  return new RegExp(source, 'iu');
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function sameList(a: Int32Array, b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addTo(map: Map<string, number | number[]>, key: string, value: number): void {
  const had = map.get(key);
  if (had === undefined) map.set(key, value);
  else if (typeof had === 'number') map.set(key, [had, value]);
  else had.push(value);
}

function append<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export interface LiveProductSearchOptions {
  /** How often, at most, a request starts a check for catalogue changes (ms). */
  readonly checkEveryMs?: number;
  readonly logger?: Logger;
  /**
   * Worker threads that score queries not kept (search-threads.ts), used once the catalogue has
   * at least `threadsFrom` products; 0: every query is scored on the calling thread.
   */
  readonly threads?: number;
  readonly threadsFrom?: number;
}

/**
 * Worker threads for search by default: two on a machine of two cores or more, none on one (there
 * a thread only adds its messages). Measured on two cores (docs/serve.md); more than two not measured.
 */
export const DEFAULT_SEARCH_THREADS = availableParallelism() >= 2 ? 2 : 0;
/** Below this many products a query costs less than a message to a thread and back: it is scored in place. */
export const SEARCH_THREADS_FROM = 5_000;

/** How often, at most, the server checks whether the catalogue changed: a change shows in search within this (plus the reload). */
export const SEARCH_CHECK_EVERY_MS = 2_000;

/** A {@link ProductSearchIndex} kept current with the catalogue (read on first use, again after a change). */
export class LiveProductSearch {
  private current: Promise<{ index: ProductSearchIndex; snapshot: string; threaded: boolean }> | undefined;
  private checking: Promise<void> | undefined;
  private checkedAt = 0;
  private closed = false;
  private readonly checkEveryMs: number;
  /** Started with the first catalogue large enough for them. */
  private threads: SearchThreads | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly options: LiveProductSearchOptions = {},
  ) {
    this.checkEveryMs = options.checkEveryMs ?? SEARCH_CHECK_EVERY_MS;
  }

  /** Starts reading the catalogue (the first search waits for it). */
  start(): void {
    if (this.current !== undefined) return;
    const reading = this.read();
    this.current = reading;
    reading.catch(() => {
      if (this.current === reading) this.current = undefined;
    });
  }

  /** Reads the catalogue now; a failure is logged, and the first search tries again. */
  async ready(): Promise<void> {
    this.start();
    try {
      await this.current;
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'product search could not read the catalogue yet');
    }
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    this.start();
    const { index, threaded } = await this.current!;
    if (Date.now() - this.checkedAt >= this.checkEveryMs && this.checking === undefined) {
      this.checkedAt = Date.now();
      this.checking = this.refresh().finally(() => (this.checking = undefined));
    }
    if (!threaded || this.threads === undefined || this.threads.alive === 0) return index.search(query);
    const key = pageKey(query);
    return index.kept(key) ?? index.keep(key, await this.threads.page(query));
  }

  /** Worker threads searching now (0: queries are scored on the calling thread). */
  async threadsSearching(): Promise<number> {
    const { threaded } = await this.current!;
    return threaded ? (this.threads?.alive ?? 0) : 0;
  }

  /** Waits for a check or reload in progress (so the database can close under none), then stops the search threads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.checking;
    await this.current?.catch(() => undefined);
    await this.threads?.close();
  }

  private async refresh(): Promise<void> {
    try {
      const { snapshot } = await this.current!;
      if (this.closed || !(await catalogueChangedSince(this.knex, snapshot))) return;
      const next = await this.read();
      if (!this.closed) this.current = Promise.resolve(next);
    } catch (error) {
      // The copy in hand keeps answering; the next check tries again.
      this.options.logger?.warn({ err: error }, 'product search could not check or re-read the catalogue');
    }
  }

  private async read(): Promise<{ index: ProductSearchIndex; snapshot: string; threaded: boolean }> {
    const { index, snapshot } = await this.knex.transaction(async (trx) => {
      await trx.raw('set transaction isolation level repeatable read, read only');
      const snapshot = await catalogueSnapshot(trx);
      return { index: await ProductSearchIndex.load(trx), snapshot };
    });
    const count = this.options.threads ?? DEFAULT_SEARCH_THREADS;
    const threaded = !this.closed && count > 0 && index.size >= (this.options.threadsFrom ?? SEARCH_THREADS_FROM);
    if (threaded) {
      this.threads ??= new SearchThreads(count);
      // Sent before this copy answers: every query sent to a thread from now on is searched on it.
      this.threads.load(index.toData());
    }
    return { index, snapshot, threaded };
  }
}
