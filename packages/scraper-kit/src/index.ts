/**
 * @trolley/scraper-kit — what the chains' scraper plugins share: a polite crawl of a site on
 * crawlee, the listing and store-locator loops, block detection, the page HTTP client, and small
 * readers of JSON bodies. A chain plugin keeps only its endpoints, headers and field paths.
 */
export { PolitenessGate, retryAfterMs, backoffMs, pauseBeforeRetry, firstLine } from './politeness.js';
export { crawleeLog } from './crawlee-log.js';
export { PageHttpClient, ACCEPT_ENCODING } from './page-client.js';
export { crawlSite, MAX_RETRY_AFTER_MS, type SiteRequest, type SiteResponse, type SiteCrawlOptions, type SiteCrawlSummary } from './site-crawler.js';
export { MalformedBody } from './malformed-body.js';
export { rebase } from './rebase.js';
export { blockReason, CHALLENGE } from './block-page.js';
export { crawlListing, type ListingSite, type PageAt, type PageReading, type RequestSpec } from './crawl-listing.js';
export { crawlStores, type StoreSite } from './crawl-stores.js';
export { listedStore, grid, AUSTRALIA } from './store-locator.js';
export { listingLister, storeLister } from './listers.js';
export { parseJson, arrayAt, valueAt, isObject, text, num, dollarsOf } from './json-body.js';
export { browserSession, startBrowserSession, BrowserUnavailable, type SessionSite } from './browser-session.js';
