// Tests run on the tsc output (decorator metadata and ESM exactly as shipped); `npm test` builds first.
export default {
  files: ['packages/*/dist/test/**/*.test.js', 'examples/*/dist/test/**/*.test.js'],
  timeout: '3m',
  workerThreads: false,
  concurrency: 2,
};
