export { sameProductOtherSize } from './same-product-other-size.js';
