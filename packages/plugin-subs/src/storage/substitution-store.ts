/**
 * The stored substitutions. A run's pairs replace the stored ones as a diff in one transaction:
 * new pairs inserted, changed pairs updated, pairs of the levels that ran but were not produced
 * again deleted. A stored pair of a stronger level that did not run is kept (it is re-decided when
 * that level runs). Pairs naming a product the database does not have are skipped and counted.
 */
import type { Knex } from 'knex';
import { bigintArray, inTransaction, type SubstitutionPair } from '@trolley/core';
import { PAIR_COLUMNS, toRow } from './pair-record.js';

export interface ApplyCounts {
  readonly pairs: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  /** Pairs not stored because a stored pair of a stronger level that did not run covers them. */
  readonly keptStronger: number;
  /** Pairs naming a product id the database does not have. */
  readonly unknownProducts: number;
  readonly perLevel: Record<string, number>;
}

export interface Substitute {
  readonly productId: number;
  readonly name: string;
  readonly brand: string | null;
  readonly level: number;
  readonly score: number;
}

const STAGE = 'subs_stage';
const CHUNK = 5_000;

export class SubstitutionStore {
  constructor(private readonly knex: Knex) {}

  /** Applies `pairs` as the result of running `levels`; with `dryRun` counts and changes nothing. */
  async apply(pairs: readonly SubstitutionPair[], levels: readonly number[], options: { dryRun?: boolean } = {}): Promise<ApplyCounts> {
    return inTransaction(this.knex, options.dryRun === true, async (trx) => {
      await trx.raw(`create temp table ${STAGE} (product_a bigint, product_b bigint, level smallint, score double precision) on commit drop`);
      for (let start = 0; start < pairs.length; start += CHUNK) {
        await trx.raw(`insert into ${STAGE} select * from jsonb_to_recordset(?::jsonb) as x(product_a bigint, product_b bigint, level smallint, score double precision)`, [
          JSON.stringify(pairs.slice(start, start + CHUNK).map(toRow)),
        ]);
      }
      const unknown = await trx.raw<{ rowCount: number | null }>(`
        delete from ${STAGE} s
        where not exists (select 1 from products p where p.id = s.product_a) or not exists (select 1 from products p where p.id = s.product_b)`);
      const deleted = await trx.raw<{ rowCount: number | null }>(
        `delete from substitutions t
         where t.level = any(?::smallint[])
           and not exists (select 1 from ${STAGE} s where s.product_a = t.product_a and s.product_b = t.product_b)`,
        [bigintArray(levels)],
      );
      const written = await trx.raw<{ rows: Array<{ inserted: number; updated: number }> }>(
        `with written as (
           insert into substitutions (${PAIR_COLUMNS.a}, ${PAIR_COLUMNS.b}, ${PAIR_COLUMNS.level}, ${PAIR_COLUMNS.score})
           select s.product_a, s.product_b, s.level, s.score from ${STAGE} s
           where not exists (
             select 1 from substitutions t
             where t.product_a = s.product_a and t.product_b = s.product_b and t.level < s.level and t.level <> all(?::smallint[]))
           on conflict (product_a, product_b) do update set level = excluded.level, score = excluded.score, generated_at = now()
             where (substitutions.level, substitutions.score) is distinct from (excluded.level, excluded.score)
           -- xmax = 0 tells a row this statement inserted from one it updated.
           returning xmax = 0 as inserted
         )
         select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from written`,
        [bigintArray(levels)],
      );
      const kept = await trx.raw<{ rows: Array<{ n: number }> }>(
        `select count(*)::int as n from ${STAGE} s join substitutions t on t.product_a = s.product_a and t.product_b = s.product_b
         where t.level < s.level and t.level <> all(?::smallint[])`,
        [bigintArray(levels)],
      );
      const perLevel = await trx.raw<{ rows: Array<{ level: number; n: number }> }>(`select level, count(*)::int as n from ${STAGE} group by level order by level`);
      const { inserted, updated } = written.rows[0]!;
      const unknownProducts = unknown.rowCount ?? 0;
      const keptStronger = kept.rows[0]!.n;
      return {
        pairs: pairs.length,
        inserted,
        updated,
        unchanged: pairs.length - unknownProducts - keptStronger - inserted - updated,
        deleted: deleted.rowCount ?? 0,
        keptStronger,
        unknownProducts,
        perLevel: Object.fromEntries(perLevel.rows.map((r) => [`lvl${r.level}`, r.n])),
      };
    });
  }

  /** How many substitutes a product has. */
  async countOf(productId: number): Promise<number> {
    const { rows } = await this.knex.raw<{ rows: Array<{ n: number | string }> }>(`select count(*) as n from substitutions where product_a = ? or product_b = ?`, [productId, productId]);
    return Number(rows[0]?.n ?? 0);
  }

  /** The substitutes of a product, strongest level first, then best score. */
  async substitutesOf(productId: number, limit: number): Promise<Substitute[]> {
    const result = await this.knex.raw<{ rows: Array<{ other: number | string; name: string; brand: string | null; level: number; score: number }> }>(
      `select x.other, p.name, b.name as brand, x.level, x.score
       from (
         select case when s.product_a = ? then s.product_b else s.product_a end as other, s.level, s.score
         from substitutions s where s.product_a = ? or s.product_b = ?
       ) x
       join products p on p.id = x.other left join brands b on b.id = p.brand_id
       order by x.level, x.score desc, x.other
       limit ?`,
      [productId, productId, productId, limit],
    );
    return result.rows.map((r) => ({ productId: Number(r.other), name: r.name, brand: r.brand, level: Number(r.level), score: Number(r.score) }));
  }
}
