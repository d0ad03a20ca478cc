export { bargainsMigrations } from './migrations.js';
export { bargainRule, type BargainRule } from './bargain-rule.js';
export { generateBargains, listBargains, pricingStores, type Bargain, type BargainsReport } from './bargains.js';
