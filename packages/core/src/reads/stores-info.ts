/** The names a reader shows for stores: company and store name, by store id. */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';

export interface StoreInfo {
  readonly id: number;
  readonly company: string;
  readonly storeId: string;
  readonly name: string | null;
  readonly state: string | null;
  readonly postcode: string | null;
}

export async function storesInfo(knex: Knex, ids: readonly number[]): Promise<Map<number, StoreInfo>> {
  const { rows } = await knex.raw<{ rows: Array<Record<string, unknown>> }>(
    `select s.id, c.name as company, s.store_id, s.name, s.state, s.postcode from stores s join companies c on c.id = s.company_id where s.id = any(?::bigint[])`,
    [bigintArray(ids)],
  );
  return new Map(rows.map((r) => [Number(r.id), toStoreInfo(r)]));
}

export function toStoreInfo(r: Record<string, unknown>): StoreInfo {
  return {
    id: Number(r.id),
    company: String(r.company),
    storeId: String(r.store_id),
    name: (r.name as string | null) ?? null,
    state: (r.state as string | null) ?? null,
    postcode: (r.postcode as string | null) ?? null,
  };
}

/** The ids among `ids` that are no store. */
export async function unknownStores(knex: Knex, ids: readonly number[]): Promise<number[]> {
  const known = await storesInfo(knex, ids);
  return ids.filter((id) => !known.has(id));
}
