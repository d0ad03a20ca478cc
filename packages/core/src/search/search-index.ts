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
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WORD_SIMILARITY_THRESHOLD } from '../db/session-settings.js';
import { catalogueChangedSince, catalogueSnapshot } from './catalogue-changes.js';
import { EXACT_MATCH_SCORE, type SearchHit, type SearchPage, type SearchQuery } from './product-search.js';
import { roundHalfEven, similarity, TrigramDictionary, trigramsOf, trigramText, wordSimilarity, type TrigramText, type WordCharacters } from './trigram-score.js';
import { trigramSchema } from './trigram.js';

type Product = Omit<SearchHit, 'score'>;

/** Rows read per statement while loading the catalogue. */
const LOAD_CHUNK = 10_000;

export class ProductSearchIndex {
  private readonly dictionary = new TrigramDictionary();
  private readonly products: Product[] = [];
  private readonly texts: TrigramText[] = [];
  private postings: Int32Array[] = [];
  private readonly byBarcode = new Map<string, number[]>();
  private readonly bySku = new Map<string, number[]>();
  /** Company name → which products (by position) it sells. */
  private readonly companies = new Map<string, Uint8Array>();
  /** Category path (lower case) and id; product position → its category ids. */
  private readonly categories: Array<{ id: number; path: string }> = [];
  private readonly categoriesOf = new Map<number, number[]>();
  /** Scratch counters, one per product, zero between searches. */
  private shared = new Uint16Array(0);

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
        const text = trigramText(trigramsOf(String(r.search_text ?? ''), index.words).map((t) => index.dictionary.add(t)));
        index.texts.push(text);
        for (const t of text.distinct) (lists[t] ??= []).push(at);
        if (r.barcode !== null) append(index.byBarcode, String(r.barcode), at);
      }
      if (rows.length < LOAD_CHUNK) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    index.postings = Array.from({ length: index.dictionary.size }, (_, t) => Int32Array.from(lists[t] ?? []));
    index.shared = new Uint16Array(index.products.length);
    const { rows: skus } = await trx.raw<{ rows: Array<{ product_id: string | number; sku: string; company: string }> }>(
      `select k.product_id, k.sku, c.name as company from product_skus k join companies c on c.id = k.company_id`,
    );
    for (const r of skus) {
      const at = position.get(Number(r.product_id));
      if (at === undefined) continue;
      append(index.bySku, r.sku, at);
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

  get size(): number {
    return this.products.length;
  }

  /** One page of matches, as {@link searchProducts} gives it. */
  search(query: SearchQuery): SearchPage {
    const raw = (query.q ?? '').trim();
    const q = raw.toLowerCase();
    const [afterScore, afterId] = query.after ?? [EXACT_MATCH_SCORE + 1, 0];
    const keep = this.filter(query);
    const after = (score: number, at: number) => score < afterScore || (score === afterScore && this.products[at]!.id > afterId);
    const page: Array<{ at: number; score: number }> = [];
    if (q === '') {
      // Every product scores 0, in id order (the products are held in id order).
      for (let at = 0; at < this.products.length && page.length <= query.limit; at++) if (after(0, at) && keep(at)) page.push({ at, score: 0 });
    } else {
      const scores = this.scores(raw, q);
      for (const [at, score] of scores) if (after(score, at) && keep(at)) page.push({ at, score });
      page.sort((a, b) => b.score - a.score || this.products[a.at]!.id - this.products[b.at]!.id);
      page.length = Math.min(page.length, query.limit + 1);
    }
    const items = page.slice(0, query.limit).map(({ at, score }) => ({ ...this.products[at]!, score }));
    const last = items[items.length - 1];
    return page.length > query.limit && last ? { items, last: [last.score, last.id] } : { items };
  }

  /** Every match of a query: product position → score (the best of exact and trigram matches). */
  private scores(raw: string, q: string): Map<number, number> {
    const scores = new Map<number, number>();
    for (const at of [...(this.byBarcode.get(raw) ?? []), ...(this.bySku.get(raw) ?? [])]) scores.set(at, EXACT_MATCH_SCORE);
    const distinct = new Set(trigramsOf(q, this.words));
    const known = [...distinct].map((t) => this.dictionary.find(t)).filter((t) => t >= 0);
    const inQuery = new Set(known);
    const touched: number[] = [];
    for (const t of known) {
      for (const at of this.postings[t]!) if (this.shared[at]!++ === 0) touched.push(at);
    }
    for (const at of touched) {
      const shared = this.shared[at]!;
      this.shared[at] = 0;
      // A word similarity of at least one half needs at least half the query's trigrams.
      if (shared * 2 < distinct.size) continue;
      const text = this.texts[at]!;
      const word = wordSimilarity((t) => inQuery.has(t), distinct.size, text);
      if (word < WORD_SIMILARITY_THRESHOLD) continue;
      const score = roundHalfEven(word * 1000) * 1000 + roundHalfEven(similarity(shared, distinct.size, text) * 999);
      if (!scores.has(at)) scores.set(at, score);
    }
    return scores;
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
    return (at) => tests.every((test) => test(at));
  }
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

function append<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export interface LiveProductSearchOptions {
  /** How often, at most, a request starts a check for catalogue changes (ms). */
  readonly checkEveryMs?: number;
  readonly logger?: Logger;
}

/** How often, at most, the server checks whether the catalogue changed: a change shows in search within this (plus the reload). */
export const SEARCH_CHECK_EVERY_MS = 2_000;

/** A {@link ProductSearchIndex} kept current with the catalogue (read on first use, again after a change). */
export class LiveProductSearch {
  private current: Promise<{ index: ProductSearchIndex; snapshot: string }> | undefined;
  private checking: Promise<void> | undefined;
  private checkedAt = 0;
  private closed = false;
  private readonly checkEveryMs: number;

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
    const { index } = await this.current!;
    if (Date.now() - this.checkedAt >= this.checkEveryMs && this.checking === undefined) {
      this.checkedAt = Date.now();
      this.checking = this.refresh().finally(() => (this.checking = undefined));
    }
    return index.search(query);
  }

  /** Waits for a check or reload in progress (so the database can close under none). */
  async close(): Promise<void> {
    this.closed = true;
    await this.checking;
    await this.current?.catch(() => undefined);
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

  private read(): Promise<{ index: ProductSearchIndex; snapshot: string }> {
    return this.knex.transaction(async (trx) => {
      await trx.raw('set transaction isolation level repeatable read, read only');
      const snapshot = await catalogueSnapshot(trx);
      return { index: await ProductSearchIndex.load(trx), snapshot };
    });
  }
}
