import type { RetentionPolicy } from '@trolley/core';

/** `keep`: a confirmed duplicate store keeps every price row it has. */
export const keepPolicy: RetentionPolicy = {
  id: 'keep',
  summary: 'delete nothing: members keep every price row',
  deletableRows(knex) {
    // Selects no row: `WHERE id IN (this)` matches nothing.
    return knex.select(knex.raw('null::bigint as id')).whereRaw('false');
  },
};
