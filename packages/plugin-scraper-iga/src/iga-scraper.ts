/**
 * The IGA `Scraper` extension: store listings on the shared scraper kit. No `stores` capability:
 * IGA's locator (a salefinder service answering HTML) is known by name only, with no address,
 * parameters or real answer to build on; `scrape stores --company iga` names `stores import FILE`
 * instead (README).
 */
import type { Scraper } from '@trolley/core';
import { listingLister } from '@trolley/scraper-kit/site';
import { igaProducts } from './iga-site.js';

export const igaScraper: Scraper = {
  id: 'iga',
  company: 'iga',
  capabilities: ['products'],
  products: listingLister(igaProducts),
};
