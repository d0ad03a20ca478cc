/**
 * Price row counts (docs/commands.md `prices count`), one grouped query. Every row that stores a price fact counts:
 * current price rows, history rows and exclusion marks (see shared-rows.ts), each also shown apart.
 */
import type { Knex } from 'knex';

import type { PriceCountBreakdown } from '../extensions/api.js';

/** The core's own breakdowns; plugins add more as `PriceCountBreakdown` extensions. */
export const CORE_BREAKDOWNS = ['company', 'store'] as const;

export interface PriceCount {
  /** `company`, `store`, or the id of a plugin's breakdown (`group`). */
  by: string;
  total: number;
  stores: number;
  breakdown: Array<{ label: string; company: string; code?: string; stores: number; rows: number; details?: Readonly<Record<string, number | string>> }>;
}

/** A breakdown a plugin provides: its lines as they are, the totals summed. */
export async function countPricesBy(knex: Knex, breakdown: PriceCountBreakdown): Promise<PriceCount> {
  const lines = await breakdown.count(knex);
  return {
    by: breakdown.id,
    total: lines.reduce((n, l) => n + l.rows, 0),
    stores: lines.reduce((n, l) => n + l.stores, 0),
    breakdown: lines.map((l) => ({ label: l.label, company: l.company, stores: l.stores, rows: l.rows, ...(l.details ? { details: l.details } : {}) })),
  };
}

/** The rows that store price facts, database-wide. */
export async function storedPriceFacts(knex: Knex): Promise<{ current: number; history: number; exclusions: number; total: number }> {
  const r = (
    await knex.raw<{ rows: Array<{ current: number; history: number; exclusions: number }> }>(
      'select (select count(*) from prices)::int as current, ((select count(*) from price_history) + (select count(*) from price_history_skips))::int as history, (select count(*) from price_exclusions)::int as exclusions',
    )
  ).rows[0]!;
  return { current: r.current, history: r.history, exclusions: r.exclusions, total: r.current + r.history + r.exclusions };
}

/** Detail columns of the core breakdowns. */
export const FACT_COLUMNS = ['current', 'history', 'exclusions'] as const;

export async function countPrices(knex: Knex, by: 'company' | 'store'): Promise<PriceCount> {
  const perStore = by === 'store';
  const result = await knex.raw<{ rows: Array<{ company: string; store_id: string | null; stores: number; current: number; history: number; exclusions: number }> }>(
    `with facts as (
       select s.id, s.company_id, s.store_id,
              (select count(*) from prices p where p.store_id = s.id)::int as current,
              ((select count(*) from price_history h where h.store_id = s.id) + (select count(*) from price_history_skips k where k.store_id = s.id))::int as history,
              (select count(*) from price_exclusions e where e.store_id = s.id)::int as exclusions
       from stores s
     )
     select c.name as company, ${perStore ? 'f.store_id' : 'null::text'} as store_id,
            count(*)::int as stores, sum(f.current)::int as current, sum(f.history)::int as history, sum(f.exclusions)::int as exclusions
     from facts f join companies c on c.id = f.company_id
     group by c.name${perStore ? ', f.store_id' : ''}
     order by c.name${perStore ? ', f.store_id' : ''}`,
  );
  const breakdown = result.rows.map((r) => ({
    label: perStore ? `${r.company} ${r.store_id}` : r.company,
    company: r.company,
    ...(perStore ? { code: r.store_id ?? '' } : {}),
    stores: r.stores,
    rows: r.current + r.history + r.exclusions,
    details: { current: r.current, history: r.history, exclusions: r.exclusions },
  }));
  return { by, total: breakdown.reduce((n, b) => n + b.rows, 0), stores: breakdown.reduce((n, b) => n + b.stores, 0), breakdown };
}
