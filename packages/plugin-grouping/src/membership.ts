/**
 * Group membership. Every store is in exactly one group; a store without one (imported after
 * `groups init`, say) joins a new group of one as its anchor. {@link ensureMemberships} does that
 * set-based at the start of every groups command, and settles re-scrape flags that a newer scrape
 * of the flagged anchor has answered.
 */
import type { Knex } from 'knex';
import { stopSharing } from '@trolley/core';
import { countOf, rowsOf } from './sql.js';
import { sharingMembers } from './sharing-members.js';

export interface MembershipReport {
  /** Stores that had no group and now anchor a group of one. */
  readonly joined: number;
  /** Re-scrape flags settled by a newer scrape (or because the store is no longer an anchor). */
  readonly flagsSettled: number;
}

/** Gives every store without a group a group of one; one transaction, two statements. */
export async function ensureMemberships(knex: Knex): Promise<MembershipReport> {
  return knex.transaction(async (trx) => {
    // Serialise concurrent runs so that two never create two groups for one store.
    await trx.raw('lock table store_group_members in share row exclusive mode');
    const created = rowsOf<{ id: number }>(
      await trx.raw(
        `insert into store_groups (company_id, anchor_store_id)
         select s.company_id, s.id from stores s
         where not exists (select 1 from store_group_members m where m.store_id = s.id)
         order by s.id
         returning id`,
      ),
    );
    if (created.length > 0) {
      await trx.raw(
        `insert into store_group_members (store_id, group_id)
         select g.anchor_store_id, g.id from store_groups g
         where not exists (select 1 from store_group_members m where m.store_id = g.anchor_store_id)`,
      );
    }
    const settled = countOf(
      await trx.raw(
        `update store_scrape_queue q set rescrape_flagged_at = null, rescrape_scrape = null, rescrape_reason = null
         from stores s
         where s.id = q.store_id and q.rescrape_flagged_at is not null
           and (s.last_scraped_date > q.rescrape_scrape or not exists (select 1 from store_groups g where g.anchor_store_id = s.id))`,
      ),
    );
    return { joined: created.length, flagsSettled: settled };
  });
}

export interface InitReport {
  readonly reset: boolean;
  readonly dryRun: boolean;
  readonly stores: number;
  /** Groups before and after. */
  readonly groupsBefore: number;
  readonly groupsAfter: number;
  /** Stores that joined a new group of one. */
  readonly joined: number;
  /**
   * Price rows written back to members before a reset (rows they read through their anchor), so
   * that every store reads the same prices after the reset as before it.
   */
  readonly rowsRestored: number;
}

/**
 * `groups init`: every store without a group gets one of its own. With `reset`, every group is
 * dissolved first, in the same transaction, after writing back to each member the anchor rows it
 * reads (a member that retention thinned out would otherwise lose those prices).
 */
export async function initGroups(knex: Knex, options: { reset: boolean }): Promise<Omit<InitReport, 'dryRun'>> {
  const count = async (db: Knex, table: string) => Number(rowsOf<{ n: number }>(await db.raw(`select count(*)::int as n from ${table}`))[0]!.n);
  return knex.transaction(async (trx) => {
    const groupsBefore = await count(trx, 'store_groups');
    let rowsRestored = 0;
    if (options.reset) {
      await trx.raw('lock table store_group_members in share row exclusive mode');
      rowsRestored = await stopSharing(trx, await sharingMembers(trx));
      await trx.raw('delete from store_group_non_matches');
      await trx.raw('delete from store_group_members');
      await trx.raw('delete from store_groups');
    }
    const joined = rowsOf<{ id: number }>(
      await trx.raw(
        `insert into store_groups (company_id, anchor_store_id)
         select s.company_id, s.id from stores s
         where not exists (select 1 from store_group_members m where m.store_id = s.id)
         order by s.id returning id`,
      ),
    ).length;
    await trx.raw(
      `insert into store_group_members (store_id, group_id)
       select g.anchor_store_id, g.id from store_groups g
       where not exists (select 1 from store_group_members m where m.store_id = g.anchor_store_id)`,
    );
    return { reset: options.reset, stores: await count(trx, 'stores'), groupsBefore, groupsAfter: await count(trx, 'store_groups'), joined, rowsRestored };
  });
}
