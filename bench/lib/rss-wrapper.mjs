// node rss-wrapper.mjs <script> [args]: runs the script as if started directly, and writes the
// process's peak resident set size (KiB) to $BENCH_RSS_FILE when it exits.
import fs from 'node:fs';

const [, , script, ...args] = process.argv;
process.argv = [process.argv[0], script, ...args];
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
await import(script);
