/**
 * The `groups` {@link PricingStoreResolver} (priority 10, above the core's identity resolver): a
 * member reads its anchor's prices; a store never scraped reads its company's largest group's
 * anchor (most stores; ties: the older group); any other store reads its own. One query.
 */
import { bigintArray, prepared, type PricingStoreResolver, type StoreId } from '@trolley/core';
import type { Knex } from 'knex';
import { rowsOf } from './sql.js';

export const GROUPS_RESOLVER_PRIORITY = 10;

export class GroupsResolver implements PricingStoreResolver {
  readonly id = 'groups';
  readonly priority = GROUPS_RESOLVER_PRIORITY;

  constructor(private readonly knex: () => Promise<Knex>) {}

  async pricingStoreOf(storeIds: readonly StoreId[]): Promise<ReadonlyMap<StoreId, StoreId>> {
    const result = new Map<StoreId, StoreId>(storeIds.map((id) => [id, id]));
    if (storeIds.length === 0) return result;
    const knex = await this.knex();
    const rows = rowsOf<{ id: string | number; pricing: string | number }>(
      await prepared(knex.raw(
        `with asked as (select distinct unnest(?::bigint[]) as id),
         largest as (
           select distinct on (g.company_id) g.company_id, g.anchor_store_id
           from store_groups g join store_group_members m on m.group_id = g.id
           group by g.id
           order by g.company_id, count(*) desc, g.id
         )
         select s.id,
                case when s.last_scraped_date is null then coalesce(l.anchor_store_id, g.anchor_store_id, s.id)
                     else coalesce(g.anchor_store_id, s.id) end as pricing
         from asked x
         join stores s on s.id = x.id
         left join store_group_members m on m.store_id = s.id
         left join store_groups g on g.id = m.group_id
         left join largest l on l.company_id = s.company_id`,
        [bigintArray(storeIds)],
      )),
    );
    for (const r of rows) result.set(Number(r.id), Number(r.pricing));
    return result;
  }
}
