import test from 'ava';
import { politenessOf } from '../../src/scrape/fetch-flags.js';
import ScrapeProducts from '../../src/commands/scrape/products.js';

test('polite by default: one request at a time, 2 s apart plus up to half that again, a user agent that says who asks', (t) => {
  const flags = ScrapeProducts.flags;
  const defaults = { delay: flags.delay.default as string, jitter: flags.jitter.default as string, 'max-retries': flags['max-retries'].default as number, 'retry-backoff': flags['retry-backoff'].default as string, timeout: flags.timeout.default as string };
  const politeness = politenessOf(defaults);
  t.is(politeness.delayMs, 2000);
  t.is(politeness.jitterMs, 1000);
  t.regex(politeness.userAgent, /^trolley\/\S+ \(grocery price research; set a contact with --user-agent/);
  t.is(politenessOf({ ...defaults, delay: '500ms', jitter: '300ms' }).jitterMs, 300);
  t.is(politenessOf({ ...defaults, delay: '0' }).jitterMs, 0);
  t.throws(() => politenessOf({ ...defaults, jitter: 'lots' }), { message: /--jitter "lots" is not a duration/ });
});
