/**
 * One merge (docs/groups.md, phase 2): the loser group's stores move into the survivor, keeping the
 * survivor's anchor, and the retention policy runs on the moved stores — all in one transaction, so
 * a run killed between two merges leaves every store in exactly one group and every price readable.
 *
 * A member that shares its old anchor's rows moves its sharing to the new anchor, with its own copy
 * of each row where the new anchor answers differently, so reads stay what they were; the policy
 * then lets the moved stores share the new anchor where that is exact.
 */
import { bigintArray, moveSharing, type RetentionPolicy } from '@trolley/core';
import type { Knex } from 'knex';
import { applyRetention, type StoreDeletion } from './retention.js';
import { rowsOf } from './sql.js';
import { sharingMembers } from './sharing-members.js';

export interface GroupRef {
  readonly groupId: number;
  readonly anchorStoreId: number;
}

export interface MergeOutcome {
  /** Stores that moved (the loser's anchor and members). */
  readonly moved: readonly number[];
  /** Rows written to moved members so that their reads do not change. */
  readonly rowsRestored: number;
  readonly deleted: readonly StoreDeletion[];
}

/** Merges `loser` into `survivor`; undefined when either group no longer exists (another run merged it). */
export async function mergeGroups(db: Knex, survivor: GroupRef, loser: GroupRef, policy: RetentionPolicy): Promise<MergeOutcome | undefined> {
  return (await mergeIntoGroup(db, survivor, [loser], policy)).get(loser.groupId);
}

/**
 * Merges several `losers` into `survivor` in one transaction, with one pass of the retention policy
 * over all the stores that moved: the merges of a bucket of groups with identical prices cost one
 * set of statements instead of one set per group (each statement of that set still touches only
 * the moved stores' rows). Returns an outcome per loser group that merged; a loser another run
 * already merged is left out, and nothing merges when the survivor is gone.
 */
export async function mergeIntoGroup(db: Knex, survivor: GroupRef, losers: readonly GroupRef[], policy: RetentionPolicy): Promise<Map<number, MergeOutcome>> {
  return db.transaction(async (trx) => {
    const live = new Set(
      rowsOf<{ id: number | string }>(
        await trx.raw('select id from store_groups where id = any(?::bigint[]) order by id for update', [bigintArray([survivor.groupId, ...losers.map((l) => l.groupId)])]),
      ).map((r) => Number(r.id)),
    );
    const outcomes = new Map<number, MergeOutcome>();
    if (!live.has(survivor.groupId)) return outcomes;
    const merging = losers.filter((l) => l.groupId !== survivor.groupId && live.has(l.groupId));
    const moves: Array<{ loser: GroupRef; moved: number[]; rowsRestored: number }> = [];
    for (const loser of merging) {
      // The loser's members that share the loser's anchor's rows share the survivor's anchor from
      // now on, with copies and marks where the two anchors differ; retention then lets the loser's
      // anchor (and members that hold rows) share the survivor's anchor where that is exact.
      const rowsRestored = await moveSharing(trx, await sharingMembers(trx, loser.groupId), survivor.anchorStoreId);
      const moved = rowsOf<{ store_id: number | string }>(
        await trx.raw(
          `update store_group_members m set group_id = ?::bigint, checked_scrape = s.last_scraped_date, joined_at = now()
           from stores s where s.id = m.store_id and m.group_id = ?::bigint
           returning m.store_id`,
          [survivor.groupId, loser.groupId],
        ),
      ).map((r) => Number(r.store_id));
      moves.push({ loser, moved, rowsRestored });
    }
    if (moves.length === 0) return outcomes;
    await trx.raw('delete from store_groups where id = any(?::bigint[])', [bigintArray(moves.map((m) => m.loser.groupId))]);
    const deleted = await applyRetention(trx, policy, { anchorStoreId: survivor.anchorStoreId, memberStoreIds: moves.flatMap((m) => m.moved) });
    for (const { loser, moved, rowsRestored } of moves) {
      const mine = new Set(moved);
      outcomes.set(loser.groupId, { moved, rowsRestored, deleted: deleted.filter((d) => mine.has(d.storeId)) });
    }
    return outcomes;
  });
}
