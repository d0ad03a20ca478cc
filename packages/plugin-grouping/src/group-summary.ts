/**
 * What `groups show` and `prices count --by group` report: per group its anchor, stores, every row
 * storing a price fact (anchor's and members' current rows, members' exclusion marks, history
 * rows), and rows saved — the rows members read from the anchor instead of storing them, less the
 * exclusion marks that costs. Stores not yet in a group count as groups of one (counting writes nothing).
 */
import type { Knex } from 'knex';
import { storedReadRowsSql, type PriceCountBreakdown, type PriceCountLine } from '@trolley/core';
import { rowsOf } from './sql.js';

export interface GroupSummary {
  readonly groupId: number | null;
  readonly company: string;
  readonly anchorStoreId: number;
  /** The company's own id of the anchor (`G467`) and its name. */
  readonly anchor: string;
  readonly anchorName: string | null;
  readonly anchorScraped: string | null;
  readonly stores: number;
  /** The company's ids of the group's stores, anchor included, sorted. */
  readonly members: string[];
  readonly anchorRows: number;
  readonly memberRows: number;
  /** Exclusion marks of the members: anchor products they did not list. */
  readonly exclusionRows: number;
  /** Price history rows of the group's stores. */
  readonly historyRows: number;
  readonly rowsSaved: number;
  readonly flaggedForRescrape: boolean;
}

export interface GroupsOverview {
  readonly company: string | null;
  readonly groups: GroupSummary[];
  readonly totals: { groups: number; stores: number; anchorRows: number; memberRows: number; exclusionRows: number; historyRows: number; rowsSaved: number };
}

export async function summariseGroups(knex: Knex, options: { company?: string | undefined } = {}): Promise<GroupsOverview> {
  const rows = rowsOf<{
    group_id: string | number | null; company: string; anchor_id: string | number; anchor: string; anchor_name: string | null; anchor_scraped: string | null;
    stores: number; members: string; anchor_rows: number; member_rows: number; exclusion_rows: number; history_rows: number; rows_saved: number; flagged: boolean;
  }>(
    await knex.raw(
      `with membership as (
         select s.id as store_id, s.store_id as code, s.company_id, m.group_id, coalesce(g.anchor_store_id, s.id) as anchor_id
         from stores s left join store_group_members m on m.store_id = s.id left join store_groups g on g.id = m.group_id
       ),
       stored as (select store_id, count(*)::int as n from prices group by store_id),
       marks as (select store_id, count(*)::int as n from price_exclusions group by store_id),
       history as (select store_id, count(*)::int as n from (select store_id from price_history union all select store_id from price_history_skips) h group by store_id),
       sharers as (select store_id from price_sharing),
       shared as (select r.store_id, count(*)::int as n from (${storedReadRowsSql('sharers')}) r where r.source_store_id <> r.store_id group by r.store_id)
       select ms.group_id, c.name as company, ms.anchor_id, an.store_id as anchor, an.name as anchor_name,
              to_char(an.last_scraped_date, 'YYYY-MM-DD') as anchor_scraped,
              count(*)::int as stores, string_agg(ms.code, ' ' order by ms.code) as members,
              coalesce(max(st.n) filter (where ms.store_id = ms.anchor_id), 0)::int as anchor_rows,
              coalesce(sum(st.n) filter (where ms.store_id <> ms.anchor_id), 0)::int as member_rows,
              coalesce(sum(mk.n), 0)::int as exclusion_rows,
              coalesce(sum(hi.n), 0)::int as history_rows,
              coalesce(sum(coalesce(sh.n, 0) - coalesce(mk.n, 0)), 0)::int as rows_saved,
              bool_or(q.rescrape_flagged_at is not null) as flagged
       from membership ms
       join stores an on an.id = ms.anchor_id
       join companies c on c.id = an.company_id
       left join stored st on st.store_id = ms.store_id
       left join shared sh on sh.store_id = ms.store_id
       left join marks mk on mk.store_id = ms.store_id
       left join history hi on hi.store_id = ms.store_id
       left join store_scrape_queue q on q.store_id = ms.anchor_id
       where (?::text is null or c.name = lower(?::text))
       group by ms.group_id, c.name, ms.anchor_id, an.store_id, an.name, an.last_scraped_date
       order by c.name, count(*) desc, ms.group_id nulls last, ms.anchor_id`,
      [options.company ?? null, options.company ?? null],
    ),
  );
  const groups = rows.map<GroupSummary>((r) => ({
    groupId: r.group_id === null ? null : Number(r.group_id),
    company: r.company,
    anchorStoreId: Number(r.anchor_id),
    anchor: r.anchor,
    anchorName: r.anchor_name,
    anchorScraped: r.anchor_scraped,
    stores: r.stores,
    members: r.members.split(' '),
    anchorRows: r.anchor_rows,
    memberRows: r.member_rows,
    exclusionRows: r.exclusion_rows,
    historyRows: r.history_rows,
    rowsSaved: r.rows_saved,
    flaggedForRescrape: r.flagged === true,
  }));
  const sum = (f: (g: GroupSummary) => number) => groups.reduce((n, g) => n + f(g), 0);
  return {
    company: options.company?.toLowerCase() ?? null,
    groups,
    totals: { groups: groups.length, stores: sum((g) => g.stores), anchorRows: sum((g) => g.anchorRows), memberRows: sum((g) => g.memberRows), exclusionRows: sum((g) => g.exclusionRows), historyRows: sum((g) => g.historyRows), rowsSaved: sum((g) => g.rowsSaved) },
  };
}

/** `prices count --by group`: one line per group, rows = anchor rows + member rows + exclusion marks + history rows. */
export const groupBreakdown: PriceCountBreakdown = {
  id: 'group',
  summary: 'rows storing price facts per store group: anchor rows + member rows + exclusion marks + history rows',
  detailColumns: ['anchorRows', 'memberRows', 'exclusionRows', 'historyRows', 'rowsSaved'],
  async count(knex: Knex): Promise<PriceCountLine[]> {
    const overview = await summariseGroups(knex);
    return overview.groups.map((g) => ({
      label: `${g.company} ${g.anchor}${g.stores > 1 ? ` +${g.stores - 1}` : ''}`,
      company: g.company,
      stores: g.stores,
      rows: g.anchorRows + g.memberRows + g.exclusionRows + g.historyRows,
      details: { anchorRows: g.anchorRows, memberRows: g.memberRows, exclusionRows: g.exclusionRows, historyRows: g.historyRows, rowsSaved: g.rowsSaved },
    }));
  },
};
