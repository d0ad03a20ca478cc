// Tests run on the tsc output (decorator metadata and ESM exactly as shipped); `npm test` builds first.
export default {
  files: ['packages/*/dist/test/**/*.test.js', 'examples/*/dist/test/**/*.test.js'],
  // ava's timeout is inactivity across all workers: on a loaded machine one command may run for minutes.
  timeout: '10m',
  workerThreads: false,
  concurrency: 2,
};
