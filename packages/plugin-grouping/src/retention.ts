/** Runs a retention policy on the members of one group: one statement, counted per store. */
import { bigintArray, type RetentionPolicy, type RetentionScope } from '@trolley/core';
import type { Knex } from 'knex';
import { rowsOf } from './sql.js';

export interface StoreDeletion {
  readonly storeId: number;
  readonly rows: number;
}

/**
 * Deletes the rows the policy selects, never outside the scope's members and never an anchor's
 * row (a faulty third-party policy cannot reach further), and returns the rows deleted per store.
 */
export async function applyRetention(db: Knex, policy: RetentionPolicy, scope: RetentionScope): Promise<StoreDeletion[]> {
  const members = scope.memberStoreIds.filter((id) => id !== scope.anchorStoreId);
  if (members.length === 0) return [];
  const selected = policy.deletableRows(db, { anchorStoreId: scope.anchorStoreId, memberStoreIds: members }).toSQL();
  const rows = rowsOf<{ store_id: number | string; n: number }>(
    await db.raw(
      `with deleted as (
         delete from prices where id in (${selected.sql}) and store_id = any(?::bigint[]) and store_id <> ?::bigint
         returning store_id
       )
       select store_id, count(*)::int as n from deleted group by store_id order by store_id`,
      [...selected.bindings, bigintArray(members), scope.anchorStoreId],
    ),
  );
  return rows.map((r) => ({ storeId: Number(r.store_id), rows: r.n }));
}
