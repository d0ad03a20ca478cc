export { igaScraper } from './iga-scraper.js';
export { igaProducts, igaProduct, IGA, PAGE_SIZE } from './iga-site.js';
