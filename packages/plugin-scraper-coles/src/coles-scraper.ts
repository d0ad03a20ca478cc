/**
 * The Coles `Scraper` extension: `barcodes` (product pages) and `products` (listings). Each loads
 * crawlee only when pages are fetched, so listing extensions or `--help` stays fast.
 */
import type { BarcodeFetcher, BrowserSessionStarter, ProductLister, Scraper, StoreLister } from '@trolley/core';
import { colesStoreId } from './coles-store-id.js';

export const COLES_BASE_URL = 'https://www.coles.com.au';

export const colesBarcodes: BarcodeFetcher = {
  defaultBaseUrl: COLES_BASE_URL,
  async fetch(items, options) {
    const { crawlBarcodes } = await import('./crawl-barcodes.js');
    return crawlBarcodes(items, options);
  },
};

/** Product listings (`scrape products`), on the shared scraper kit; crawlee is loaded on first use. */
export const colesListings: ProductLister = {
  defaultBaseUrl: COLES_BASE_URL,
  async list(options) {
    const [{ crawlListing }, { colesProducts }] = await Promise.all([import('@trolley/scraper-kit'), import('./coles-listing-site.js')]);
    return crawlListing(colesProducts, options);
  },
};

/** Store locations (`scrape stores`): the GraphQL store search over a grid; crawlee is loaded on first use. */
export const colesStoreLocator: StoreLister = {
  defaultBaseUrl: COLES_BASE_URL,
  async list(options) {
    const [{ crawlStores }, { colesStores }] = await Promise.all([import('@trolley/scraper-kit'), import('./coles-listing-site.js')]);
    return crawlStores(colesStores, options);
  },
};

/** A browser session past Imperva's check (`scrape session`); playwright-core is loaded on first use. */
export const colesBrowserSession: BrowserSessionStarter = {
  defaultBaseUrl: COLES_BASE_URL,
  async start(options) {
    const [{ startBrowserSession }, { colesSession }] = await Promise.all([import('@trolley/scraper-kit'), import('./coles-listing-site.js')]);
    return startBrowserSession(colesSession, options);
  },
};

export const colesScraper: Scraper = {
  id: 'coles',
  company: 'coles',
  capabilities: ['barcodes', 'products', 'stores', 'session'],
  storeId: colesStoreId,
  barcodes: colesBarcodes,
  products: colesListings,
  stores: colesStoreLocator,
  session: colesBrowserSession,
};
