/** Price row counts (SPEC §8 `prices count`), one grouped query. */
import type { Knex } from 'knex';

export interface PriceCount {
  by: 'company' | 'store';
  total: number;
  stores: number;
  breakdown: Array<{ label: string; company: string; storeId?: string; stores: number; rows: number }>;
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
