export { koalaProducts, koalaProduct, KOALA } from './koala-site.js';
