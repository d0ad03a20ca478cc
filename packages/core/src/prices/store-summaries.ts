/** Stores as a reader names them: database id, company, the company's store code, name and state. */
import type { Knex } from 'knex';
import { prepared } from '../db/prepared.js';
import { bigintArray, textArray } from '../db/sql-arrays.js';
import { UsageError } from '../errors.js';
import type { StoreId } from '../extensions/api.js';

export interface StoreSummary {
  readonly id: StoreId;
  readonly company: string;
  /** The company's own store id (`G467`, `COL:403`). */
  readonly code: string;
  readonly name: string | null;
  readonly state: string | null;
  readonly postcode: string | null;
}

type Row = { id: string | number; company: string; code: string; name: string | null; state: string | null; postcode: string | null };
const SELECT = `select s.id, c.name as company, s.store_id as code, s.name, s.state, s.postcode from stores s join companies c on c.id = s.company_id`;
const toSummary = (r: Row): StoreSummary => ({ id: Number(r.id), company: r.company, code: r.code, name: r.name, state: r.state, postcode: r.postcode });

/** The asked store of a row read with `withStores` (resolved.ts): `store_id`, `store_company`, `store_code`, … */
export function storeSummaryOf(r: Record<string, unknown>): StoreSummary {
  const text = (name: string) => (r[name] as string | null) ?? null;
  return { id: Number(r.store_id), company: String(r.store_company), code: String(r.store_code), name: text('store_name'), state: text('store_state'), postcode: text('store_postcode') };
}

export async function storesOf(knex: Knex, storeIds: readonly StoreId[]): Promise<Map<StoreId, StoreSummary>> {
  const { rows } = await prepared(knex.raw<{ rows: Row[] }>(`${SELECT} where s.id = any(?::bigint[])`, [bigintArray(new Set(storeIds))]));
  return new Map(rows.map((r) => [Number(r.id), toSummary(r)]));
}

/**
 * A company's own form of a store code as a reader may write it (Coles' `0584` is `COL:584` in the
 * registry): the company's scraper says (`Scraper.storeId`); undefined when it has no other form.
 */
export type StoreIdForm = (company: string, code: string) => string | undefined;

/**
 * Database ids of stores named by id (`12`) or by company and code (`aldi:G467`, the code in any
 * case, or in any form the company's scraper knows: `coles:0584`), in one query; a name that is no
 * store is missing from the map.
 */
export async function storeIdsOf(knex: Knex, refs: readonly string[], form?: StoreIdForm): Promise<Map<string, StoreId>> {
  const ids = refs.filter((ref) => /^\d{1,15}$/.test(ref));
  const codes = refs.filter((ref) => !/^\d{1,15}$/.test(ref)).map((ref) => {
    const colon = ref.indexOf(':');
    const company = ref.slice(0, colon).trim().toLowerCase();
    const code = ref.slice(colon + 1).trim();
    return { ref, company, code: code.toLowerCase(), canonical: canonicalForm(form, company, code) };
  });
  const { rows } = await prepared(knex.raw<{ rows: Array<{ ref: string; id: string | number }> }>(
    `select s.id::text as ref, s.id from stores s where s.id = any(?::bigint[])
     union all
     select w.ref, s.id from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as w(ref, company, code, canonical)
       join companies c on c.name = w.company join stores s on s.company_id = c.id and lower(s.store_id) in (w.code, w.canonical)`,
    [bigintArray(ids.map(Number)), textArray(codes.map((c) => c.ref)), textArray(codes.map((c) => c.company)), textArray(codes.map((c) => c.code)), textArray(codes.map((c) => c.canonical))],
  ));
  return new Map(rows.map((r) => [r.ref, Number(r.id)]));
}

/**
 * Stores named one by one (a command line's comma-separated list): a database id (`12`), or a
 * store code with or without its company (`aldi:G467`, `G467`, `COL:403`, `coles:0584`, any case).
 * A code that several companies use must carry its company. Unknown or ambiguous names are a usage
 * error (exit 2) naming them.
 */
export async function resolveStoreRefs(knex: Knex, refs: readonly string[], form?: StoreIdForm): Promise<StoreId[]> {
  const named = [...new Set(refs.map((r) => r.trim()).filter(Boolean))];
  const found = await storeIdsOf(knex, named.filter((ref) => /^\d{1,15}$/.test(ref) || ref.includes(':')), form);
  const ids: StoreId[] = [];
  for (const ref of named) {
    const id = found.get(ref) ?? (/^\d{1,15}$/.test(ref) ? undefined : await storeWithCode(knex, ref, form));
    if (id === undefined) throw new UsageError(`No store is named ${JSON.stringify(ref)}; give a database id (trolley stores list shows them) or a store code as company:code (aldi:G467) or alone.`, 'unknown-store');
    ids.push(id);
  }
  return [...new Set(ids)];
}

/** The store whose code is `code` (as written, or in its company's own form) in any company, if exactly one has it (several: a usage error). */
async function storeWithCode(knex: Knex, code: string, form?: StoreIdForm): Promise<StoreId | undefined> {
  const companies = (await knex.raw<{ rows: Array<{ name: string }> }>(`select name from companies`)).rows.map((r) => r.name);
  const { rows } = await knex.raw<{ rows: Row[] }>(
    `${SELECT} join unnest(?::text[], ?::text[]) as w(company, canonical) on w.company = c.name
     where lower(s.store_id) in (lower(?), w.canonical) order by s.id`,
    [textArray(companies), textArray(companies.map((company) => canonicalForm(form, company, code))), code],
  );
  if (rows.length > 1) throw new UsageError(`${JSON.stringify(code)} names ${rows.length} stores (${rows.map((r) => `${r.company}:${r.code}`).join(', ')}); give it as company:code.`, 'ambiguous-store');
  return rows[0] === undefined ? undefined : Number(rows[0].id);
}

/** The code in its company's own form, lower case (the code itself when the company has no other form or refuses it), as the import reads it. */
function canonicalForm(form: StoreIdForm | undefined, company: string, code: string): string {
  return (form?.(company, code) ?? code).toLowerCase();
}
