import test from 'ava';
import { MalformedBody } from '@trolley/scraper-kit';
import { colesProducts, colesStore, colesStores } from '../src/coles-listing-site.js';
import { colesScraper } from '../src/coles-scraper.js';
import { colesStoreId, colesStoreNumber } from '../src/coles-store-id.js';

test("a store id is COL:<number> in files and the registry, whatever form was given; the site is sent its four-digit number", (t) => {
  for (const given of ['COL:584', 'col:584', '0584', '584', ' COL:0584 ']) t.is(colesStoreId(given), 'COL:584', given);
  t.is(colesStoreId('COL:4921'), 'COL:4921');
  for (const given of ['abc', 'LQR:584', 'COL:', '', '58 4', 'COL:58a']) t.is(colesStoreId(given), undefined, given);
  t.is(colesScraper.storeId!('0584'), 'COL:584', 'the scraper names its one form to the kernel');
  t.is(colesStoreNumber('COL:584'), '0584');
  t.is(colesStoreNumber('COL:4921'), '4921');
  t.is(colesProducts.storeCookies!('COL:584'), 'fulfillmentStoreId=0584');
  t.is(colesProducts.storeCookies!('0584'), 'fulfillmentStoreId=0584');
  t.like(JSON.parse(colesProducts.categoriesRequest('COL:584').payload!), { variables: { storeId: '0584' } });
});

test('the store search: Coles brands only, ids as the registry writes them, a store without a numeric id is a malformed body', (t) => {
  t.deepEqual(colesStore({ id: '0710', name: 'Coles World Square', brandName: 'Coles', address: { suburb: 'Sydney', state: 'nsw', postcode: '2000' }, position: { latitude: -33.877321, longitude: 151.206106 } }), [
    { store_id: 'COL:710', name: 'Coles World Square', suburb: 'Sydney', state: 'NSW', postcode: '2000', latitude: -33.877321, longitude: 151.206106 },
  ]);
  t.deepEqual(colesStore({ id: '3057', name: 'Liquorland Mitchell Centre', brandName: 'Liquorland' }), []);
  t.throws(() => colesStore({ id: 'LQR:1', name: 'x' }), { instanceOf: MalformedBody, message: 'a store has the id LQR:1, not a number' });
  t.throws(() => colesStores.readStores('{"data":{}}'), { instanceOf: MalformedBody, message: 'the body has no data.storeSearch.stores list' });
  t.is(colesStores.requests(10).length, 4 * 5, 'a 10° grid over Australia');
});
