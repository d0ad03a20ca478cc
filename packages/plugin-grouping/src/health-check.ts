/**
 * Phase 1 of `groups maintain` (docs/groups.md): every member with a scrape newer than its last check is
 * compared with its anchor — all such members in one statement. Match: healthy, and the retention
 * policy runs on it. No match and the anchor current: the member is ejected into a group of one.
 * The anchor stale: the member stays and the anchor is flagged for re-scrape. A member without
 * current pricing is skipped; one with fewer common current products than `minOverlap` is not
 * judged either (too little evidence to eject) and is looked at again after its next scrape.
 * The outcomes are written in one transaction.
 */
import { bigintArray, stopSharing } from '@trolley/core';
import { compareSharingPairs, comparePairs, type Comparison, type StorePair } from './comparer.js';
import type { Db, MaintainContext } from './maintain-report.js';
import { applyRetention } from './retention.js';
import { rowsOf } from './sql.js';

interface MemberToJudge {
  storeId: number;
  groupId: number;
  anchor: number;
  companyId: number;
  scraped: string;
  anchorScraped: string | null;
}

export async function healthCheck(db: Db, ctx: MaintainContext): Promise<void> {
  const { report } = ctx;
  const members = rowsOf<{ store_id: string | number; group_id: string | number; anchor: string | number; company_id: string | number; scraped: string; anchor_scraped: string | null }>(
    await db.raw(
      `select m.store_id, g.id as group_id, g.anchor_store_id as anchor, g.company_id,
              to_char(s.last_scraped_date, 'YYYY-MM-DD') as scraped, to_char(a.last_scraped_date, 'YYYY-MM-DD') as anchor_scraped
       from store_group_members m
       join store_groups g on g.id = m.group_id
       join stores s on s.id = m.store_id
       join stores a on a.id = g.anchor_store_id
       where m.store_id <> g.anchor_store_id and s.last_scraped_date is not null
         and (m.checked_scrape is null or s.last_scraped_date > m.checked_scrape)
       order by g.id, m.store_id`,
    ),
  ).map<MemberToJudge>((r) => ({ storeId: Number(r.store_id), groupId: Number(r.group_id), anchor: Number(r.anchor), companyId: Number(r.company_id), scraped: r.scraped, anchorScraped: r.anchor_scraped }));
  report.healthCheck.judged = members.length;
  if (members.length === 0) return;

  const window = new Map(ctx.windows.map((w) => [w.companyId, w]));
  const toCompare: Array<MemberToJudge & StorePair> = [];
  const flagged: MemberToJudge[] = [];
  for (const m of members) {
    const cutoff = window.get(m.companyId)?.cutoff ?? null;
    if (cutoff === null || m.scraped < cutoff) report.healthCheck.notCurrent++;
    else if (m.anchorScraped === null || m.anchorScraped < cutoff) flagged.push(m);
    else toCompare.push({ ...m, a: m.storeId, b: m.anchor, cutoff });
  }
  const comparisons = await compareMembers(db, toCompare, ctx);
  const healthy: MemberToJudge[] = [];
  const ejected: Array<MemberToJudge & { overlap: number; equal: number }> = [];
  comparisons.forEach((c, i) => {
    const m = toCompare[i]!;
    if (c.match) healthy.push(m);
    else if (c.overlap >= ctx.minOverlap) ejected.push({ ...m, overlap: c.overlap, equal: c.equal });
    else report.healthCheck.inconclusive++;
  });
  const companyName = (id: number) => window.get(id)?.company ?? String(id);

  await db.transaction(async (trx) => {
    const byGroup = new Map<number, MemberToJudge[]>();
    for (const m of healthy) byGroup.set(m.groupId, [...(byGroup.get(m.groupId) ?? []), m]);
    for (const [groupId, list] of byGroup) {
      const deleted = await applyRetention(trx, ctx.policy, { anchorStoreId: list[0]!.anchor, memberStoreIds: list.map((m) => m.storeId) });
      for (const d of deleted) {
        report.rows.deleted += d.rows;
        ctx.logger.info({ event: 'retention', policy: ctx.policy.id, group: groupId, store: d.storeId, rows: d.rows }, `retention ${ctx.policy.id}: deleted ${d.rows} price row(s) of store ${d.storeId}, read through anchor ${list[0]!.anchor}`);
      }
    }
    if (healthy.length > 0) await markChecked(trx, healthy.map((m) => m.storeId));
    if (ejected.length > 0) {
      // An ejected member holds its full set of rows again: what it read from the anchor becomes its own.
      report.rows.restored += await stopSharing(trx, ejected.map((m) => m.storeId));
      const created = rowsOf<{ id: string | number; anchor_store_id: string | number }>(
        await trx.raw(
          `insert into store_groups (company_id, anchor_store_id)
           select s.company_id, s.id from stores s where s.id = any(?::bigint[]) order by s.id
           returning id, anchor_store_id`,
          [bigintArray(ejected.map((m) => m.storeId))],
        ),
      );
      await trx.raw(
        `update store_group_members m set group_id = g.id, checked_scrape = s.last_scraped_date, joined_at = now()
         from store_groups g, stores s where g.anchor_store_id = m.store_id and s.id = m.store_id and m.store_id = any(?::bigint[])`,
        [bigintArray(ejected.map((m) => m.storeId))],
      );
      const newGroup = new Map(created.map((r) => [Number(r.anchor_store_id), Number(r.id)]));
      for (const m of ejected) {
        const record = { company: companyName(m.companyId), storeId: m.storeId, fromGroup: m.groupId, anchor: m.anchor, overlap: m.overlap, equal: m.equal, newGroup: newGroup.get(m.storeId) ?? 0 };
        report.ejections.push(record);
        ctx.logger.info({ event: 'eject', ...record }, `ejected store ${m.storeId} from group ${m.groupId}: ${m.equal} of ${m.overlap} common current prices equal its anchor's`);
      }
    }
    if (flagged.length > 0) {
      await trx.raw(
        `insert into store_scrape_queue (store_id, rescrape_flagged_at, rescrape_scrape, rescrape_reason)
         select a.id, ?::timestamptz, a.last_scraped_date, 'a current member could not be confirmed against this stale anchor'
         from stores a where a.id = any(?::bigint[])
         on conflict (store_id) do update set
           rescrape_flagged_at = coalesce(store_scrape_queue.rescrape_flagged_at, excluded.rescrape_flagged_at),
           rescrape_scrape = excluded.rescrape_scrape, rescrape_reason = excluded.rescrape_reason`,
        [ctx.now.toISOString(), bigintArray(new Set(flagged.map((m) => m.anchor)))],
      );
      for (const m of flagged) {
        const record = { company: companyName(m.companyId), anchor: m.anchor, group: m.groupId, member: m.storeId };
        report.flags.push(record);
        ctx.logger.info({ event: 'flag', ...record }, `flagged anchor ${m.anchor} for re-scrape: its prices are stale and member ${m.storeId} has a newer scrape`);
      }
    }
  });
  report.healthCheck.healthy = healthy.length;
  report.healthCheck.ejected = ejected.length;
  report.healthCheck.anchorsFlagged = new Set(flagged.map((m) => m.anchor)).size;
}

/**
 * One comparison per member, in order. A member that reads its anchor's rows is compared by its
 * differences (what it stores), the others over everything they read: the same counts either way,
 * but a steady day's cost follows the members' own rows and marks, not their ranges.
 */
async function compareMembers(db: Db, members: ReadonlyArray<StorePair>, ctx: MaintainContext): Promise<Comparison[]> {
  const bySharing = await compareSharingPairs(db, members, ctx.minOverlap);
  const rest = members.filter((_, i) => bySharing[i] === undefined);
  const inFull = await comparePairs(db, rest, ctx.minOverlap, { sharedA: true });
  ctx.report.healthCheck.comparisons = members.length;
  ctx.report.healthCheck.comparedInFull = rest.length;
  let next = 0;
  return members.map((_, i) => bySharing[i] ?? inFull[next++]!);
}

async function markChecked(db: Db, storeIds: readonly number[]): Promise<void> {
  await db.raw(
    `update store_group_members m set checked_scrape = s.last_scraped_date from stores s where s.id = m.store_id and m.store_id = any(?::bigint[])`,
    [bigintArray(storeIds)],
  );
}
