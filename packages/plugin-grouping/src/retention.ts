/**
 * Runs a retention policy on the members of one group: the member rows the policy selects are read
 * from the anchor instead (the core's price sharing), counted per store.
 */
import { shareRows, type RetentionPolicy, type RetentionScope } from '@trolley/core';
import type { Knex } from 'knex';

export interface StoreDeletion {
  readonly storeId: number;
  readonly rows: number;
  /** Exclusion marks written: anchor products the member does not list. */
  readonly excluded: number;
}

/**
 * Deletes the rows the policy selects, never outside the scope's members and never an anchor's
 * row (a faulty third-party policy cannot reach further), and returns the rows deleted per store.
 * An exact policy's members keep reading what they scraped, dates included; a member shares the
 * anchor only when that saves rows.
 */
export async function applyRetention(db: Knex, policy: RetentionPolicy, scope: RetentionScope): Promise<StoreDeletion[]> {
  const members = scope.memberStoreIds.filter((id) => id !== scope.anchorStoreId);
  if (members.length === 0) return [];
  const selected = policy.deletableRows(db, { anchorStoreId: scope.anchorStoreId, memberStoreIds: members }).toSQL();
  const outcomes = await shareRows(db, { sourceStoreId: scope.anchorStoreId, storeIds: members, candidates: { sql: selected.sql, bindings: selected.bindings }, exact: policy.exact === true });
  return outcomes.filter((o) => o.deleted > 0 || o.excluded > 0).map((o) => ({ storeId: o.storeId, rows: o.deleted, excluded: o.excluded }));
}
