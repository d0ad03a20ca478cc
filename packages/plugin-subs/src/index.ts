export { sameProductOtherSize } from './generators/same-product-other-size.js';
