/**
 * Loaded (node --import) into every CLI child a test starts: the child ends itself when the test
 * process that started it is gone — killed by the test runner's timeout, say, before any teardown
 * could run — so no test leaves a trolley process behind. A child whose parent dies is adopted by
 * another process, which changes its parent pid.
 */
const parent = process.ppid;

setInterval(() => {
  if (process.ppid === parent) return;
  // SIGTERM first, as a user would stop it (a command that listens for it gives back what it holds).
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 3_000).unref();
}, 500).unref();
