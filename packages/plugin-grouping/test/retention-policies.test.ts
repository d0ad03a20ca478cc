import test from 'ava';
import { testDatabase } from '@trolley/core/testing';
import { keepPolicy } from '../src/retention-policies.js';

test('keep selects no row to delete, even when member and anchor rows are identical', async (t) => {
  const { knex } = await testDatabase(t);
  const [company] = await knex('companies').insert({ name: 'aldi', display_name: 'Aldi' }).returning('id');
  const stores = await knex('stores')
    .insert([
      { company_id: company.id, store_id: 'G1' },
      { company_id: company.id, store_id: 'G2' },
    ])
    .returning('id');
  const scope = { anchorStoreId: Number(stores[0].id), memberStoreIds: [Number(stores[1].id)] };
  // The query is used as `delete ... where id in (<query>)`: run it as the caller would.
  const deletable = await knex('stores').whereIn('id', keepPolicy.deletableRows(knex, scope)).select('id');
  t.deepEqual(deletable, []);
  t.is((await knex('stores').count<{ count: string }[]>('* as count'))[0]?.count.toString(), '2');
});
