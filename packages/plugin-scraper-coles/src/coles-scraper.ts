/**
 * The Coles `Scraper` extension. Its `barcodes` capability loads crawlee only when pages are
 * fetched, so listing extensions or `--help` stays fast.
 */
import type { BarcodeFetcher, Scraper } from '@trolley/core';

export const COLES_BASE_URL = 'https://www.coles.com.au';

export const colesBarcodes: BarcodeFetcher = {
  defaultBaseUrl: COLES_BASE_URL,
  async fetch(items, options) {
    const { crawlBarcodes } = await import('./crawl-barcodes.js');
    return crawlBarcodes(items, options);
  },
};

export const colesScraper: Scraper = {
  id: 'coles',
  company: 'coles',
  capabilities: ['barcodes'],
  barcodes: colesBarcodes,
};
