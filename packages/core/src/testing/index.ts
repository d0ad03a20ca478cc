/** Test helpers for the core and plugins: `import { testDatabase, cliSandbox } from '@trolley/core/testing'`. */
export * from './database.js';
export * from './cli.js';
