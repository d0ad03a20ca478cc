/**
 * The same faults for every chain, through the real CLI: a 429 with Retry-After (waited out), a
 * 503 twice (retried), a slow page (timed out and asked again) — the file must still be complete —
 * then a block page on a fresh run (exit 4, partial file, and a rerun that finishes).
 */
import type { ExecutionContext } from 'ava';
import type { FixtureRequest } from './fixture-site.js';
import { INCAPSULA_PAGE } from './fixture-site.js';
import type { ScrapeScene } from './cli-scene.js';

type Match = (request: FixtureRequest) => boolean;

export async function drillFaults(
  t: ExecutionContext,
  scene: () => Promise<ScrapeScene>,
  pages: { readonly a: Match; readonly b: Match; readonly c: Match },
  products: number,
  emptyPage: string | object,
): Promise<void> {
  const s = await scene();
  s.site.fault(pages.a, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } });
  s.site.fault(pages.b, { status: 503, body: '<html>busy</html>' }, 2);
  s.site.fault(pages.c, { body: emptyPage, delayMs: 6000 });
  // Timeouts generous enough for a loaded machine: only the 6 s page is slow.
  const run = await s.cli.run(s.args('--timeout', '3s', '--max-retries', '5', '--json'));
  t.is(run.code, 0, run.stderr);
  t.is((JSON.parse(run.stdout) as { products: number }).products, products);
  const a = s.site.requests.filter(pages.a);
  // At least: the 429, then data (a loaded machine may time out one more try).
  t.true(a.length >= 2, '429 then data');
  t.true(a[1]!.at - a[0]!.at >= 1000, `Retry-After honoured (${a[1]!.at - a[0]!.at} ms)`);
  t.true(s.site.requests.filter(pages.b).length >= 3, '503 twice, then data');
  t.true(s.site.requests.filter(pages.c).length >= 2, 'the slow page timed out and was asked again');
  t.is(s.records().length, products);

  const blocked = await scene();
  blocked.site.fault(pages.b, { status: 403, body: INCAPSULA_PAGE });
  const stopped = await blocked.cli.run(blocked.args());
  t.is(stopped.code, 4, stopped.stderr);
  t.regex(stopped.stderr, /The site blocked the scraper at .*Incapsula.*--cookies FILE/);
  t.is(blocked.records()[0]!.metadata.partial, true);
  const resumed = await blocked.cli.run(blocked.args('--json'));
  t.is(resumed.code, 0, resumed.stderr);
  t.is(blocked.records().length, products);
  t.is(blocked.records()[0]!.metadata.partial, undefined);
}
