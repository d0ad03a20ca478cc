/** The Aldi `Scraper` extension: store listings and store locations, on the shared scraper kit. */
import type { Scraper } from '@trolley/core';
import { listingLister, storeLister } from '@trolley/scraper-kit/site';
import { aldiProducts, aldiStores } from './aldi-site.js';

export const aldiScraper: Scraper = {
  id: 'aldi',
  company: 'aldi',
  capabilities: ['products', 'stores'],
  products: listingLister(aldiProducts),
  stores: storeLister(aldiStores),
};
