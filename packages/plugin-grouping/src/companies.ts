/** A `--company` flag checked against the database: a misspelt company is an input error, not an empty list. */
import type { Knex } from 'knex';
import { InputError } from '@trolley/core';
import { messages } from './messages.js';
import { rowsOf } from './sql.js';

export async function companyNamed(knex: Knex, name: string): Promise<string> {
  const rows = rowsOf<{ name: string }>(await knex.raw('select name from companies order by name'));
  const wanted = name.trim().toLowerCase();
  if (!rows.some((r) => r.name === wanted)) throw new InputError(messages.unknownCompany(name, rows.map((r) => r.name)), 'unknown-company');
  return wanted;
}
