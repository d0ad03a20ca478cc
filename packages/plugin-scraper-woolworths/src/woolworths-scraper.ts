/** The Woolworths `Scraper` extension: store listings and store locations, on the shared scraper kit. */
import type { Scraper } from '@trolley/core';
import { listingLister, storeLister } from '@trolley/scraper-kit/site';
import { woolworthsProducts, woolworthsStores } from './woolworths-site.js';

export const woolworthsScraper: Scraper = {
  id: 'woolworths',
  company: 'woolworths',
  capabilities: ['products', 'stores'],
  products: listingLister(woolworthsProducts),
  stores: storeLister(woolworthsStores),
};
