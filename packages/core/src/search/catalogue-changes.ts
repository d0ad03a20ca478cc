/**
 * Which transactions changed the catalogue (products, their brands, SKUs and categories), so a
 * reader holding a copy of it in memory (the server's search index) can tell, with one indexed
 * query, whether its copy is still current:
 * - every statement that writes one of those tables notes its transaction id in
 *   `catalogue_changes` (a statement-level trigger; one row per transaction, no lock shared
 *   between writers, visible when the writer commits);
 * - a reader takes its copy and `pg_current_snapshot()` in one repeatable-read transaction; the
 *   copy is stale once a transaction that snapshot did not see has noted a change and committed;
 * - an import ends by deleting the notes older than {@link KEEP_CHANGES_FOR}, in a transaction that
 *   notes itself as a change ({@link pruneCatalogueChanges}), so the table holds about a day of notes.
 */
import type { Knex } from 'knex';
import type { Migration } from '../extensions/api.js';

/** How long a note is kept (a PostgreSQL interval). */
export const KEEP_CHANGES_FOR = '1 day';

const WATCHED = ['products', 'brands', 'product_skus', 'companies', 'categories', 'product_categories'];

export const catalogueChangesMigration: Migration = {
  name: '0010_catalogue_changes',
  async up(knex: Knex) {
    await knex.raw(`create table catalogue_changes (txid xid8 primary key, changed_at timestamptz not null default now())`);
    await knex.raw(`create function note_catalogue_change() returns trigger language plpgsql as $$
      begin
        insert into catalogue_changes (txid) values (pg_current_xact_id()) on conflict do nothing;
        return null;
      end $$`);
    for (const table of WATCHED) {
      await knex.raw(`create trigger ${table}_catalogue_change after insert or update or delete or truncate on ${table} for each statement execute function note_catalogue_change()`);
    }
  },
  async down(knex: Knex) {
    for (const table of WATCHED) await knex.raw(`drop trigger ${table}_catalogue_change on ${table}`);
    await knex.raw(`drop function note_catalogue_change()`);
    await knex.raw(`drop table catalogue_changes`);
  },
};

/** The snapshot of a read of the catalogue, as text (`pg_current_snapshot()`), taken inside that read's transaction. */
export async function catalogueSnapshot(trx: Knex.Transaction): Promise<string> {
  const { rows } = await trx.raw<{ rows: Array<{ snapshot: string }> }>(`select pg_current_snapshot()::text as snapshot`);
  return rows[0]!.snapshot;
}

/** True when a transaction that `snapshot` did not see has changed the catalogue and committed. */
export async function catalogueChangedSince(knex: Knex, snapshot: string): Promise<boolean> {
  const { rows } = await knex.raw<{ rows: Array<{ changed: boolean }> }>(
    `select exists (select 1 from catalogue_changes where txid >= pg_snapshot_xmin(?::pg_snapshot) and not pg_visible_in_snapshot(txid, ?::pg_snapshot)) as changed`,
    [snapshot, snapshot],
  );
  return rows[0]!.changed === true;
}

/**
 * Deletes the notes older than `keepFor` (committed ones: a statement sees no other) and, when it
 * deleted any, notes its own transaction, which then stands for them: a reader whose snapshot did
 * not see a deleted note's transaction did not see this one either (it committed later), so
 * {@link catalogueChangedSince} still answers true for it (once more than needed, at worst, for a
 * reader that had seen them all). Returns how many notes it deleted.
 */
export async function pruneCatalogueChanges(knex: Knex, keepFor: string = KEEP_CHANGES_FOR): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ deleted: number }> }>(
    `with gone as (delete from catalogue_changes where changed_at < now() - ?::interval returning txid),
          noted as (insert into catalogue_changes (txid) select pg_current_xact_id() where exists (select 1 from gone) on conflict do nothing)
     select count(*)::int as deleted from gone`,
    [keepFor],
  );
  return rows[0]!.deleted;
}
