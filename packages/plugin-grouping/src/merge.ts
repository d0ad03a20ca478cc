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
  return db.transaction(async (trx) => {
    const live = rowsOf<{ id: number }>(await trx.raw('select id from store_groups where id = any(?::bigint[]) order by id for update', [bigintArray([survivor.groupId, loser.groupId])]));
    if (live.length < 2) return undefined;
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
    await trx.raw('delete from store_groups where id = ?::bigint', [loser.groupId]);
    const deleted = await applyRetention(trx, policy, { anchorStoreId: survivor.anchorStoreId, memberStoreIds: moved });
    return { moved, rowsRestored, deleted };
  });
}
