export { colesScraper, colesBarcodes, COLES_BASE_URL } from './coles-scraper.js';
export { readProductPage, isImpervaChallenge, type PageReading, type BarcodeCandidate, type BarcodeSource } from './product-page.js';
export { PolitenessGate, retryAfterMs, backoffMs } from '@trolley/scraper-kit';
