/**
 * `@trolley/scraper-kit/site`: what a chain's site description (endpoints, paging, field paths)
 * and its scraper module need, without the crawl: importing this loads no crawler (crawlee,
 * got-scraping) and no browser (playwright-core loads when a session starts), so a chain plugin's
 * scraper is cheap to create. The crawl itself is `@trolley/scraper-kit`.
 */
export { parseJson, arrayAt, valueAt, isObject, text, num, dollarsOf } from './json-body.js';
export { MalformedBody } from './malformed-body.js';
export { listedStore, grid, AUSTRALIA } from './store-locator.js';
export { listingLister, storeLister } from './listers.js';
export type { ListingSite, PageAt, PageReading, RequestSpec } from './crawl-listing.js';
export type { StoreSite } from './crawl-stores.js';
export { browserSession, type SessionSite } from './browser-session.js';
