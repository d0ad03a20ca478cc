export { colesScraper, colesBarcodes, colesListings, COLES_BASE_URL } from './coles-scraper.js';
export { colesProducts, colesProduct, COLES, COLES_PAGE_SIZE, PROMOTIONAL_GROUPS } from './coles-listing-site.js';
export { colesStoreId, colesStoreNumber } from './coles-store-id.js';
export { readProductPage, isImpervaChallenge, type PageReading, type BarcodeCandidate, type BarcodeSource } from './product-page.js';
export { PolitenessGate, retryAfterMs, backoffMs } from '@trolley/scraper-kit';
