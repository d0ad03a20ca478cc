/** The ids among `ids` that are no product. */
import type { Knex } from 'knex';
import { bigintArray } from '../db/sql-arrays.js';

export async function unknownProducts(knex: Knex, ids: readonly number[]): Promise<number[]> {
  const { rows } = await knex.raw<{ rows: Array<{ id: string | number }> }>(`select id from products where id = any(?::bigint[])`, [bigintArray(ids)]);
  const known = new Set(rows.map((r) => Number(r.id)));
  return ids.filter((id) => !known.has(id));
}
