/**
 * Which modules a Node process resolves: a resolve hook, given to the process as a `NODE_OPTIONS`
 * entry, writes one `resolved <url>` line to stderr per module (ES imports; Node 20 does not pass
 * CommonJS `require` through it). For tests of what a command or an entry point loads.
 */

/** The crawl and its HTTP and browser stack: a scraper loads them when it first lists, never when it is only created. */
export const CRAWLING_MODULES = /\/node_modules\/(@crawlee|got-scraping|http2-wrapper|playwright-core)\//;

const HOOK = `export async function resolve(specifier, context, next) { const r = await next(specifier, context); process.stderr.write('resolved ' + r.url + '\\n'); return r; }`;

/** A `NODE_OPTIONS` entry that registers the hook. */
export const REPORT_RESOLVED = `--import=data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`)}`;

/** The module URLs in a process's stderr, and the rest of its stderr. */
export function resolvedModules(stderr: string): { urls: string[]; rest: string } {
  const lines = stderr.split('\n');
  return {
    urls: lines.filter((line) => line.startsWith('resolved ')).map((line) => line.slice('resolved '.length)),
    rest: lines.filter((line) => !line.startsWith('resolved ')).join('\n'),
  };
}
