export { aldiScraper } from './aldi-scraper.js';
export { aldiProducts, aldiStores, aldiProduct, aldiStore, ALDI_API, ALDI_WEB, PAGE_SIZE } from './aldi-site.js';
