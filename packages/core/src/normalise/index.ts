/**
 * Normalisation (docs/normalisation.md): the one library that turns scraped names, brands, sizes, barcodes and
 * unit prices into the keys and values stored and compared everywhere. Pure functions, no I/O.
 */
export { extractSizes, standardiseSizes, productSizes } from './sizes.js';
export { brandKey } from './brand-key.js';
export { productKey, nameKey } from './product-key.js';
export { cleanBarcode, isValidGtin, type BarcodeResult } from './barcode.js';
export { unitPrice, type UnitPrice } from './unit-price.js';
export { toDollars } from './money.js';
