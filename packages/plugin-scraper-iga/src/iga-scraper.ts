/**
 * The IGA `Scraper` extension: store listings on the shared scraper kit. (Store locations come
 * from a separate locator service whose answer is HTML; not read yet — `stores import` fills the
 * registry for IGA.)
 */
import type { Scraper } from '@trolley/core';
import { listingLister } from '@trolley/scraper-kit';
import { igaProducts } from './iga-site.js';

export const igaScraper: Scraper = {
  id: 'iga',
  company: 'iga',
  capabilities: ['products'],
  products: listingLister(igaProducts),
};
