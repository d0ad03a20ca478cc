/**
 * Product search: by name and brand (typo-tolerant, trigram word similarity), by barcode or by SKU
 * (exact), best match first. Each match has an integer score, so pages are keyset pages on
 * (score descending, id): a page reads only the matches after the last one seen.
 * The server answers the same questions from memory (search-index.ts), with the same scores.
 */
import type { Knex } from 'knex';
import { trigramSchema } from './trigram.js';

export interface SearchQuery {
  /** Words, a barcode or a SKU; empty or absent lists every product (filters apply). */
  readonly q?: string | undefined;
  /** Only products a company sells (its name, any case). */
  readonly company?: string | undefined;
  /** Only products in a category whose path contains this (any case). */
  readonly category?: string | undefined;
  readonly limit: number;
  /** Keyset: the (score, id) of the last match seen. */
  readonly after?: readonly [number, number] | undefined;
}

export interface SearchHit {
  readonly id: number;
  readonly name: string;
  readonly brand: string | null;
  readonly barcode: string | null;
  readonly sizes: string[];
  /** Larger is better: 2,000,000 for a barcode or SKU, else 1,000 × word similarity + similarity. */
  readonly score: number;
}

export interface SearchPage {
  readonly items: SearchHit[];
  /** The (score, id) of the last hit when more may follow. */
  readonly last?: readonly [number, number];
}

/** Words must share this much of their trigrams with a run of a product's words (every session sets it). */
export { WORD_SIMILARITY_THRESHOLD } from '../db/session-settings.js';
/** The score of a barcode or SKU equal to the query (above any word match). */
export const EXACT_MATCH_SCORE = 2_000_000;

/** One page of matches, read in a transaction of its own (pass the database, not a transaction). */
export async function searchProducts(knex: Knex, query: SearchQuery): Promise<SearchPage> {
  // SKUs are matched as written (a company's SKU may hold capitals); names through their lower case.
  const raw = (query.q ?? '').trim();
  const q = raw.toLowerCase();
  const trgm = await trigramSchema(knex);
  const [afterScore, afterId] = query.after ?? [EXACT_MATCH_SCORE + 1, 0];
  const filters = `(?::text is null or exists (select 1 from product_skus k join companies c on c.id = k.company_id where k.product_id = p.id and c.name = lower(?)))
     and (?::text is null or exists (select 1 from product_categories pc join categories g on g.id = pc.category_id where pc.product_id = p.id and g.path ilike '%' || ? || '%'))`;
  const filterBindings = [query.company ?? null, query.company ?? null, query.category ?? null, query.category ?? null];
  const matches =
    q === ''
      ? `select p.id, 0 as score from products p`
      : `select id, max(score) as score from (
           select p.id, ${EXACT_MATCH_SCORE} as score from products p where p.barcode = :raw
           union all
           select k.product_id, ${EXACT_MATCH_SCORE} from product_skus k where k.sku = :raw
           union all
           select p.id, (round(${trgm}.word_similarity(:q, p.search_text) * 1000) * 1000 + round(${trgm}.similarity(:q, p.search_text) * 999))::int
           from products p where :q operator(${trgm}.<%) p.search_text
         ) m group by id`;
  const sql = `with m as (${matches.replaceAll(':raw', '?').replaceAll(':q', '?')})
    select p.id, p.name, b.name as brand, p.barcode, p.sizes, m.score
    from m join products p on p.id = m.id left join brands b on b.id = p.brand_id
    where (m.score < ? or (m.score = ? and p.id > ?)) and ${filters}
    order by m.score desc, p.id
    limit ?`;
  const qBindings = q === '' ? [] : [raw, raw, q, q, q];
  const read = (db: Knex) => db.raw<{ rows: Array<Record<string, unknown>> }>(sql, [...qBindings, afterScore, afterScore, afterId, ...filterBindings, query.limit + 1]);
  const { rows } =
    q === ''
      ? await read(knex)
      : await knex.transaction(async (trx) => {
          // The planner cannot tell how many products share a query's trigrams; expecting many, it
          // reads the whole table and scores every product (0.8 s at 50,000 products), where the
          // trigram index hands it only the matches (about 5× faster at a few thousand matches).
          // For this statement, tell it not to read the whole table.
          await trx.raw(`select set_config('enable_seqscan', 'off', true)`);
          return read(trx);
        });
  const items = rows.slice(0, query.limit).map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    brand: (r.brand as string | null) ?? null,
    barcode: (r.barcode as string | null) ?? null,
    sizes: r.sizes as string[],
    score: Number(r.score),
  }));
  const last = items[items.length - 1];
  return rows.length > query.limit && last ? { items, last: [last.score, last.id] } : { items };
}
