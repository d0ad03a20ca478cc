/** Stores to pick from: by company and a part of their name, suburb, state or postcode, keyset pages on id. */
import type { Knex } from 'knex';
import { toStoreInfo, type StoreInfo } from './stores-info.js';

export interface StoreListQuery {
  readonly company?: string | undefined;
  /** A part of the store's name, its store id, state or postcode (any case). */
  readonly q?: string | undefined;
  readonly limit: number;
  readonly afterId?: number | undefined;
}

export async function listStores(knex: Knex, query: StoreListQuery): Promise<{ items: StoreInfo[]; last?: number }> {
  const like = query.q === undefined || query.q.trim() === '' ? null : `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select s.id, c.name as company, s.store_id, s.name, s.state, s.postcode from stores s join companies c on c.id = s.company_id
     where s.id > ? and (?::text is null or c.name = lower(?))
       and (?::text is null or s.name ilike ? or s.store_id ilike ? or s.state ilike ? or s.postcode ilike ?)
     order by s.id limit ?`,
    [query.afterId ?? 0, query.company ?? null, query.company ?? null, like, like, like, like, like, query.limit + 1],
  );
  const items = rows.slice(0, query.limit).map(toStoreInfo);
  const last = items[items.length - 1];
  return rows.length > query.limit && last ? { items, last: last.id } : { items };
}
