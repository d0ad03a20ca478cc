/** Stores named on a command line: ids (`12`) or company and the company's store id (`aldi:G467`). */
import type { Knex } from 'knex';
import { InputError } from '../errors.js';

export async function resolveStoreRefs(knex: Knex, refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const raw of refs) {
    const ref = raw.trim();
    if (ref === '') continue;
    const [company, code] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : [undefined, ref];
    const { rows } = await knex.raw<{ rows: Array<{ id: string | number }> }>(
      company === undefined
        ? `select id from stores where id = ?::bigint`
        : `select s.id from stores s join companies c on c.id = s.company_id where c.name = lower(?) and lower(s.store_id) = lower(?)`,
      company === undefined ? [/^\d{1,15}$/.test(code) ? code : '0'] : [company, code],
    );
    if (!rows[0]) throw new InputError(`No store "${ref}"; name stores by id or as company:store-id (e.g. aldi:G467).`, 'unknown-store');
    ids.push(Number(rows[0].id));
  }
  return [...new Set(ids)];
}
