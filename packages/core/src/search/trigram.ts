/**
 * pg_trgm, the trigram extension product search runs on. It lives in one schema of the database
 * (extensions are per database, not per schema), so every use names that schema: a trolley schema
 * on a shared server finds it though `public` is not on its search path.
 */
import type { Knex } from 'knex';

const schemas = new WeakMap<Knex, Promise<string>>();

/** Creates pg_trgm in `public` unless the database has it already (a concurrent creator is fine). */
export async function ensureTrigramExtension(knex: Knex): Promise<string> {
  await knex.raw(`do $$ begin
      if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
        create extension pg_trgm schema public;
      end if;
    exception when unique_violation or duplicate_object then null;
    end $$`);
  return trigramSchema(knex, true);
}

/** The quoted schema pg_trgm is installed in (looked up once per knex instance). */
export function trigramSchema(knex: Knex, fresh = false): Promise<string> {
  let found = fresh ? undefined : schemas.get(knex);
  if (found === undefined) {
    found = knex
      .raw<{ rows: Array<{ schema: string }> }>(`select quote_ident(n.nspname) as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`)
      .then(({ rows }) => {
        const schema = rows[0]?.schema;
        if (schema === undefined) throw new Error('pg_trgm is not installed in this database; run `trolley db migrate`.');
        return schema;
      });
    found.catch(() => schemas.delete(knex));
    schemas.set(knex, found);
  }
  return found;
}
