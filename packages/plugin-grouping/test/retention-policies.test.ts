import test from 'ava';
import { testDatabase } from '@trolley/core/testing';
import { aggressivePolicy, keepPolicy, losslessPolicy } from '../src/retention-policies.js';
import { applyRetention } from '../src/retention.js';
import { company, groupingDatabase, store } from './helpers.js';

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

test('lossless deletes a member row only when all six fields and the scrape date equal the anchor’s; aggressive deletes every member row; anchors are never touched', async (t) => {
  const knex = await groupingDatabase(t);
  const aldi = await company(knex, 'aldi');
  const anchor = await store(knex, aldi, 'A', { products: 0 });
  const member = await store(knex, aldi, 'M', { products: 0 });
  const base: { price: string; was_price: string | null; is_on_special: boolean; unit_price: string; unit: string; is_available: boolean; scraped_date: string } = { price: '2.00', was_price: '3.00', is_on_special: true, unit_price: '4.0000', unit: 'kg', is_available: true, scraped_date: '2026-01-31' };
  const variants: Array<Partial<typeof base>> = [{}, { price: '2.10' }, { was_price: null }, { is_on_special: false }, { unit_price: '4.1000' }, { unit: 'l' }, { is_available: false }, { scraped_date: '2026-01-30' }];
  await knex('prices').insert(variants.map((_, i) => ({ ...base, store_id: anchor, product_id: i + 1 })));
  await knex('prices').insert(variants.map((v, i) => ({ ...base, ...v, store_id: member, product_id: i + 1 })));
  await knex('prices').insert({ ...base, store_id: member, product_id: 99 }); // the anchor does not sell it
  const scope = { anchorStoreId: anchor, memberStoreIds: [member, anchor] };
  const lossless = await knex.transaction(async (trx) => applyRetention(trx, losslessPolicy, scope));
  t.deepEqual(lossless, [{ storeId: member, rows: 1, excluded: 0 }], 'only the identical row: the one differing in scrape date would read another date');
  t.deepEqual(((await knex('prices').where({ store_id: member }).orderBy('product_id').select('product_id')) as Array<{ product_id: string | number }>).map((r) => Number(r.product_id)), [2, 3, 4, 5, 6, 7, 8, 99]);
  const aggressive = await knex.transaction(async (trx) => applyRetention(trx, aggressivePolicy, scope));
  t.deepEqual(aggressive, [{ storeId: member, rows: 8, excluded: 0 }]);
  t.is(Number((await knex.raw('select count(*)::int as n from prices where store_id = ?', [anchor])).rows[0].n), 8);
});
