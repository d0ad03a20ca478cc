export { woolworthsScraper } from './woolworths-scraper.js';
export { woolworthsProducts, woolworthsStores, woolworthsProduct, woolworthsStore, WOOLWORTHS, PAGE_SIZE, SKIPPED_DEPARTMENTS } from './woolworths-site.js';
