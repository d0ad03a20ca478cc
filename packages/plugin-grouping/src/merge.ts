/**
 * One merge (docs/groups.md, phase 2): the loser group's stores move into the survivor, keeping the
 * survivor's anchor, and the retention policy runs on the moved stores — all in one transaction, so
 * a run killed between two merges leaves every store in exactly one group and every price readable.
 *
 * Moving a member to another anchor would change what it reads for products it has no row for.
 * Before moving, the loser anchor's row is written to the member wherever the survivor's anchor
 * would answer differently (or not at all), so reads stay what they were; the policy then deletes
 * what the new anchor makes redundant.
 */
import { bigintArray, type RetentionPolicy } from '@trolley/core';
import type { Knex } from 'knex';
import { applyRetention, type StoreDeletion } from './retention.js';
import { countOf, rowsOf } from './sql.js';

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
    const rowsRestored = countOf(
      await trx.raw(
        `insert into prices (store_id, product_id, price, was_price, is_on_special, unit_price, unit, is_available, scraped_date)
         select m.store_id, a.product_id, a.price, a.was_price, a.is_on_special, a.unit_price, a.unit, a.is_available, a.scraped_date
         from store_group_members m
         join prices a on a.store_id = ?::bigint
         where m.group_id = ?::bigint and m.store_id <> ?::bigint
           and not exists (select 1 from prices o where o.store_id = m.store_id and o.product_id = a.product_id)
           and not exists (
             select 1 from prices s where s.store_id = ?::bigint and s.product_id = a.product_id
               and s.price = a.price and s.was_price is not distinct from a.was_price and s.is_on_special = a.is_on_special
               and s.unit_price is not distinct from a.unit_price and s.unit is not distinct from a.unit
               and s.is_available is not distinct from a.is_available)`,
        [loser.anchorStoreId, loser.groupId, loser.anchorStoreId, survivor.anchorStoreId],
      ),
    );
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
