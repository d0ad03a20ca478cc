/**
 * A chain's `products` and `stores` from its site description. The crawl (crawlee, got-scraping)
 * is loaded when they first list, not when they are made: a scraper costs nothing to create, and
 * the commands that only ask scrapers a question (`import` and `serve` ask each its form of store
 * ids) load no crawler.
 */
import type { ProductLister, StoreLister } from '@trolley/core';
import type { ListingSite } from './crawl-listing.js';
import type { StoreSite } from './crawl-stores.js';

export function listingLister(site: ListingSite): ProductLister {
  return { defaultBaseUrl: site.defaultBaseUrl, list: async (options) => (await import('./crawl-listing.js')).crawlListing(site, options) };
}

export function storeLister(site: StoreSite): StoreLister {
  return { defaultBaseUrl: site.defaultBaseUrl, list: async (options) => (await import('./crawl-stores.js')).crawlStores(site, options) };
}
