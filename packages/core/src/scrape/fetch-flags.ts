/**
 * The politeness flags every listing command shares (`scrape products`, `scrape stores`,
 * `scrape run`) and their translation into the {@link FetchPoliteness} a scraper receives. Polite
 * by default: one request at a time, 2 s apart plus up to half that again at random, Retry-After
 * honoured, a user agent that says who is asking.
 */
import { Flags } from '@oclif/core';
import { UsageError } from '../errors.js';
import type { FetchPoliteness } from '../extensions/api.js';
import type { Logger } from 'pino';
import { cookiesOf, readCookieFile } from './cookies.js';
import { parseDuration } from '../cli/duration.js';

export const DEFAULT_SCRAPE_USER_AGENT = 'trolley/0.1 (grocery price research; set a contact with --user-agent or TROLLEY_SCRAPE_USER_AGENT)';

export const fetchFlags = {
  delay: Flags.string({ description: 'Least time between a response and the next request (2s, 500ms, 0).', default: '2s' }),
  jitter: Flags.string({ description: 'A random extra pause of up to this much after each delay (1s, or a share of --delay such as 50%).', default: '50%' }),
  'max-retries': Flags.integer({ description: 'Retries of a request after a network error, a timeout, a 5xx or a 429.', default: 3, min: 0, max: 20 }),
  'retry-backoff': Flags.string({ description: 'Wait before the first retry, doubled for each further one, unless the site sent Retry-After.', default: '2s' }),
  timeout: Flags.string({ description: 'Give up on one request after this long.', default: '30s' }),
  cookies: Flags.string({ description: 'Cookies of a browser session on the site: a Netscape cookie file or a "Cookie: ..." header line (default: the session trolley scrape session saved for the company, if any).' }),
  'user-agent': Flags.string({ description: 'User agent sent with every request; put a contact in it.', env: 'TROLLEY_SCRAPE_USER_AGENT' }),
  'base-url': Flags.string({ description: "Fetch from this origin instead of the site's (a mirror or a test server).", env: 'TROLLEY_SCRAPE_BASE_URL' }),
  'state-dir': Flags.string({ description: "Scratch folder for the crawler's state (default: TROLLEY_HOME/scrape)." }),
};

export interface FetchFlagValues {
  delay: string;
  jitter: string;
  'max-retries': number;
  'retry-backoff': string;
  timeout: string;
  cookies?: string | undefined;
  'user-agent'?: string | undefined;
  'base-url'?: string | undefined;
}

export type Politeness = Omit<FetchPoliteness, 'storageDir' | 'logger'>;

export function politenessOf(flags: FetchFlagValues): Politeness {
  const delayMs = parseDuration(flags.delay, 'delay');
  const share = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(flags.jitter);
  const jitterMs = share ? Math.round((delayMs * Number(share[1])) / 100) : parseDuration(flags.jitter, 'jitter');
  const baseUrl = flags['base-url'];
  if (baseUrl !== undefined && !/^https?:\/\/[^/]+/i.test(baseUrl)) throw new UsageError(`--base-url ${baseUrl} is not an http(s) address; write it like https://www.coles.com.au.`);
  return {
    delayMs,
    jitterMs,
    maxRetries: flags['max-retries'],
    retryBackoffMs: parseDuration(flags['retry-backoff'], 'retry-backoff'),
    requestTimeoutMs: Math.max(1, parseDuration(flags.timeout, 'timeout')),
    userAgent: flags['user-agent'] ?? DEFAULT_SCRAPE_USER_AGENT,
    cookiesFor: flags.cookies ? readCookieFile(flags.cookies).headerFor : undefined,
    baseUrl: baseUrl?.replace(/\/+$/, ''),
  };
}

/**
 * The politeness for one company's scrape: without `--cookies`, the browser session
 * `trolley scrape session` saved for the company (TROLLEY_HOME/sessions), when there is one.
 */
export function withSavedSession(politeness: Politeness, home: string, company: string, logger: Logger): Politeness {
  if (politeness.cookiesFor !== undefined) return politeness;
  const saved = cookiesOf(undefined, home, company);
  if (!saved) return politeness;
  logger.info({ cookies: saved.source.count, file: saved.file, domains: saved.source.domains }, `using the ${company} browser session saved in ${saved.file} (${saved.source.count} cookie(s), each sent only to its own site)`);
  return { ...politeness, cookiesFor: saved.source.headerFor };
}
