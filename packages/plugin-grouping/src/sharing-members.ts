/** Stores of a group (or of all groups) that read shared rows: the ones to give their rows back before they leave. */
import { bigintArray } from '@trolley/core';
import type { Knex } from 'knex';
import { rowsOf } from './sql.js';

export async function sharingMembers(db: Knex, groupId?: number, storeIds?: readonly number[]): Promise<number[]> {
  return rowsOf<{ store_id: string | number }>(
    await db.raw(
      `select sh.store_id from price_sharing sh join store_group_members m on m.store_id = sh.store_id
       where (?::bigint is null or m.group_id = ?::bigint) and (?::bigint[] is null or sh.store_id = any(?::bigint[]))
       order by sh.store_id`,
      [groupId ?? null, groupId ?? null, storeIds ? bigintArray(storeIds) : null, storeIds ? bigintArray(storeIds) : null],
    ),
  ).map((r) => Number(r.store_id));
}
