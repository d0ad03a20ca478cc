/** Test helpers for the core and plugins: `import { testDatabase, cliSandbox, realFixture, realDataTest } from '@trolley/core/testing'`. */
export * from './database.js';
export * from './cli.js';
export * from './real-data.js';
export * from './fingerprint.js';
export * from './mutants.js';
export * from './chaos.js';
export * from './write-counter.js';
export * from './modules-resolved.js';
