/**
 * The retention policies (docs/groups.md), as `RetentionPolicy` extensions. Each returns a query selecting
 * member price rows that may go because reads resolve them through the anchor; the caller deletes
 * `WHERE id IN (query)`, restricted to the scope's members.
 */
import { bigintArray, type RetentionPolicy } from '@trolley/core';
import type { Knex } from 'knex';


/** `keep`: a confirmed duplicate store keeps every price row it has. */
export const keepPolicy: RetentionPolicy = {
  id: 'keep',
  summary: 'delete nothing: members keep every price row',
  deletableRows(knex) {
    // Selects no row: `WHERE id IN (this)` matches nothing.
    return knex.select(knex.raw('null::bigint as id')).whereRaw('false');
  },
};

/**
 * `lossless` (the default): a member's row goes only when the anchor has a row for the product with
 * the same price, was-price, special flag, unit price, unit and availability, so the resolved read
 * (the anchor's row) says exactly what the member's row said. Every other row stays as an override.
 * Exact: the member keeps its own scrape date, and anchor products it does not list are excluded.
 */
export const losslessPolicy: RetentionPolicy = {
  id: 'lossless',
  exact: true,
  summary: "delete only member rows identical to the anchor's; keep the rest as overrides",
  deletableRows(knex: Knex, scope) {
    return knex
      .select('m.id')
      .from('prices as m')
      .join('prices as a', (on) => on.on('a.product_id', '=', 'm.product_id').andOn('a.store_id', '=', knex.raw('?::bigint', [scope.anchorStoreId])))
      .whereRaw('m.store_id = any(?::bigint[])', [bigintArray(scope.memberStoreIds)])
      .whereRaw(
        `m.price = a.price and m.was_price is not distinct from a.was_price and m.is_on_special = a.is_on_special
         and m.unit_price is not distinct from a.unit_price and m.unit is not distinct from a.unit
         and m.is_available is not distinct from a.is_available`,
      );
  },
};

/** `aggressive` (the original strategy): a member keeps no price row; it reads the anchor's. */
export const aggressivePolicy: RetentionPolicy = {
  id: 'aggressive',
  summary: "delete every member row: members read the anchor's prices (products only a member sells are lost)",
  deletableRows(knex: Knex, scope) {
    return knex.select('m.id').from('prices as m').whereRaw('m.store_id = any(?::bigint[])', [bigintArray(scope.memberStoreIds)]);
  },
};

export const DEFAULT_RETENTION = 'lossless';
