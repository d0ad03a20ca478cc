/**
 * Phase 2 of `groups maintain` (docs/groups.md), per company, among groups whose anchor has current
 * pricing: groups with identical current prices merge at once; then rounds in which each anchor
 * proposes its best candidate (see candidates.ts: shared bands, then, when none is left, equal
 * prices on common bins for partial overlaps), all proposals are compared in one statement,
 * matches merge (the group with fewer stores into the larger; on a tie the older group survives)
 * and non-matches are remembered. Rounds repeat until no proposal is left. Every compared merge is
 * its own transaction; the groups of one bucket of identical prices merge in one.
 */
import { comparePairs } from './comparer.js';
import { fingerprintBuckets, outranks, pairKey, partialOverlapPairs, proposedPairs, type AnchorGroup } from './candidates.js';
import type { CompanyWindow } from './freshness.js';
import type { Db, MaintainContext, MergeRecord } from './maintain-report.js';
import { mergeGroups, mergeIntoGroup, type MergeOutcome } from './merge.js';
import { priceSignatures } from './price-signatures.js';
import { rememberNonMatches, rememberedNonMatches } from './non-matches.js';
import { rowsOf } from './sql.js';

export async function mergePhase(db: Db, ctx: MaintainContext): Promise<void> {
  for (const window of ctx.windows) if (window.cutoff !== null) await mergeCompany(db, ctx, window as CompanyWindow & { cutoff: string });
}

async function mergeCompany(db: Db, ctx: MaintainContext, window: CompanyWindow & { cutoff: string }): Promise<void> {
  const { report } = ctx;
  const anchors = rowsOf<{ id: string | number; anchor: string | number; size: number }>(
    await db.raw(
      `select g.id, g.anchor_store_id as anchor, (select count(*)::int from store_group_members m where m.group_id = g.id) as size
       from store_groups g join stores a on a.id = g.anchor_store_id
       where g.company_id = ?::bigint and a.last_scraped_date >= ?::date
       order by g.id`,
      [window.companyId, window.cutoff],
    ),
  );
  const signatures = new Map((await priceSignatures(db, anchors.map((a) => Number(a.anchor)), window.cutoff)).map((s) => [s.storeId, s]));
  const alive = new Map<number, AnchorGroup>();
  for (const a of anchors) {
    const signature = signatures.get(Number(a.anchor));
    // An anchor with fewer current rows than minOverlap can match no one.
    if (signature && signature.rows >= ctx.minOverlap) alive.set(Number(a.id), { groupId: Number(a.id), anchorStoreId: Number(a.anchor), size: a.size, signature });
  }
  report.merge.anchors += alive.size;
  report.merge.naivePairs += (alive.size * (alive.size - 1)) / 2;
  if (alive.size < 2) return;

  const merge = async (x: AnchorGroup, y: AnchorGroup, via: MergeRecord['via']) => {
    const [survivor, loser] = outranks(x, y) ? [x, y] : [y, x];
    const outcome = await mergeGroups(db, survivor, loser, ctx.policy);
    alive.delete(loser.groupId);
    if (outcome) await record(survivor, loser, outcome, via);
  };
  const record = async (survivor: AnchorGroup, loser: AnchorGroup, outcome: MergeOutcome, via: MergeRecord['via']) => {
    survivor.size += outcome.moved.length;
    const rowsDeleted = outcome.deleted.reduce((n, d) => n + d.rows, 0);
    const entry: MergeRecord = { company: window.company, via, survivorGroup: survivor.groupId, survivorAnchor: survivor.anchorStoreId, loserGroup: loser.groupId, moved: outcome.moved, rowsRestored: outcome.rowsRestored, rowsDeleted };
    report.merges.push(entry);
    report.merge.merges++;
    if (via === 'fingerprint') report.merge.fingerprintMerges++;
    report.rows.deleted += rowsDeleted;
    report.rows.restored += outcome.rowsRestored;
    ctx.logger.debug({ event: 'merge', ...entry }, `merged group ${loser.groupId} (${outcome.moved.length} store(s)) into group ${survivor.groupId} of ${window.company} (${via}); retention ${ctx.policy.id} deleted ${rowsDeleted} row(s)`);
    for (const d of outcome.deleted) ctx.logger.debug({ event: 'retention', policy: ctx.policy.id, group: survivor.groupId, store: d.storeId, rows: d.rows }, `retention ${ctx.policy.id}: deleted ${d.rows} price row(s) of store ${d.storeId}`);
    await ctx.afterMerge?.(entry);
  };

  // A bucket of identical anchors merges into its best-ranked group in one transaction.
  for (const bucket of fingerprintBuckets([...alive.values()])) {
    const [first, ...rest] = bucket;
    const outcomes = await mergeIntoGroup(db, first!, rest, ctx.policy);
    for (const other of rest) {
      alive.delete(other.groupId);
      const outcome = outcomes.get(other.groupId);
      if (outcome) await record(first!, other, outcome, 'fingerprint');
    }
  }

  const remembered = await rememberedNonMatches(db, window.companyId, ctx.now);
  for (;;) {
    let proposals = proposedPairs([...alive.values()], remembered);
    if (proposals.length === 0) proposals = partialOverlapPairs([...alive.values()], remembered);
    if (proposals.length === 0) break;
    report.merge.rounds++;
    const comparisons = await comparePairs(db, proposals.map(([x, y]) => ({ a: x.anchorStoreId, b: y.anchorStoreId, cutoff: window.cutoff })), ctx.minOverlap);
    report.merge.comparisons += comparisons.length;
    const nonMatches = [];
    let merged = 0;
    for (let i = 0; i < proposals.length; i++) {
      const [x, y] = proposals[i]!;
      const c = comparisons[i]!;
      if (!c.match) {
        nonMatches.push({ x, y, overlap: c.overlap, equal: c.equal });
        remembered.add(pairKey(x.groupId, y.groupId));
      } else if (alive.has(x.groupId) && alive.has(y.groupId)) {
        await merge(x, y, 'compared');
        merged++;
      }
    }
    await rememberNonMatches(db, nonMatches, ctx.now);
    report.merge.nonMatchesRemembered += nonMatches.length;
    if (merged === 0 && nonMatches.length === 0) break;
  }
}
