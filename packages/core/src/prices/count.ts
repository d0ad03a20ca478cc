/** Price row counts (docs/commands.md `prices count`), one grouped query. */
import type { Knex } from 'knex';

import type { PriceCountBreakdown } from '../extensions/api.js';

/** The core's own breakdowns; plugins add more as `PriceCountBreakdown` extensions. */
export const CORE_BREAKDOWNS = ['company', 'store'] as const;

export interface PriceCount {
  /** `company`, `store`, or the id of a plugin's breakdown (`group`). */
  by: string;
  total: number;
  stores: number;
  breakdown: Array<{ label: string; company: string; storeId?: string; stores: number; rows: number; details?: Readonly<Record<string, number | string>> }>;
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

export async function countPrices(knex: Knex, by: 'company' | 'store'): Promise<PriceCount> {
  const perStore = by === 'store';
  const result = await knex.raw<{ rows: Array<{ company: string; store_id: string | null; stores: number; rows: number }> }>(
    `select c.name as company, ${perStore ? 's.store_id' : 'null::text'} as store_id,
            count(distinct s.id)::int as stores, count(p.id)::int as rows
     from stores s join companies c on c.id = s.company_id left join prices p on p.store_id = s.id
     group by c.name${perStore ? ', s.store_id' : ''}
     order by c.name${perStore ? ', s.store_id' : ''}`,
  );
  const breakdown = result.rows.map((r) => ({
    label: perStore ? `${r.company} ${r.store_id}` : r.company,
    company: r.company,
    ...(perStore ? { storeId: r.store_id ?? '' } : {}),
    stores: r.stores,
    rows: r.rows,
  }));
  return { by, total: breakdown.reduce((n, b) => n + b.rows, 0), stores: breakdown.reduce((n, b) => n + b.stores, 0), breakdown };
}
