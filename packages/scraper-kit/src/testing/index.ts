/** Test helpers for chain plugins: `import { FixtureSite } from '@trolley/scraper-kit/testing'`. */
export * from './fixture-site.js';
export * from './listing-sample.js';
export * from './cli-scene.js';
export * from './fault-drill.js';
