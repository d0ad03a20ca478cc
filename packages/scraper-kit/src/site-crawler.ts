/**
 * One polite crawl of a chain's site on crawlee's HttpCrawler, shared by every listing and store
 * locator: an in-memory request queue (under the scratch folder the kernel gives, never the working
 * directory), crawlee's retries and its one session (cookies the site sets are kept for the run,
 * a browser session's `--cookies` go with the requests their domain, path and Secure flag allow), a politeness gate before every request
 * (delay with jitter, Retry-After, backoff), and block detection that stops the crawl at once.
 *
 * The caller reads each response and says what to fetch next; requests run one at a time, in the
 * order they were added, so a chain's paging is a plain loop of "read this page, ask for the next".
 */
import { Configuration, HttpCrawler, NonRetryableError, log as crawleeGlobalLog, type CrawlingContext, type HttpCrawlingContext, type RequestProvider } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import type { OptionsInit } from 'got-scraping';
import { mergeCookieHeaders } from './cookie-header.js';
import type { FetchPoliteness } from '@trolley/core';
import { CrawlQueue } from './crawl-queue.js';
import { crawleeLog } from './crawlee-log.js';
import { PageHttpClient } from './page-client.js';
import { firstLine, MAX_RETRY_AFTER_MS, pauseBeforeRetry, PolitenessGate } from './politeness.js';
import { blockReason } from './block-page.js';
import { MalformedBody } from './malformed-body.js';
import { rebase } from './rebase.js';

export { MAX_RETRY_AFTER_MS };

export interface SiteRequest {
  /** Absolute address on the site's own origin (the kit moves it to `--base-url` when one is given). */
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** A request body (JSON text for POST). */
  readonly payload?: string;
  /** What the request is for; handed back with its response. */
  readonly label: string;
  /** Makes two requests of the same address distinct (a POST to one endpoint for many pages). */
  readonly uniqueKey?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface SiteResponse {
  readonly request: SiteRequest;
  /** The address fetched (after `--base-url`). */
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export interface SiteCrawlOptions extends FetchPoliteness {
  /** Log prefix: the chain. */
  readonly site: string;
  /** Headers every request carries besides the user agent (origin and referer a site wants). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Cookies the site wants besides the session's (`fulfillmentStoreId=0584`). */
  readonly siteCookies?: string | undefined;
  /** A page the site's bot defence answers instead of data; undefined when it is data. */
  readonly isBlocked?: (response: SiteResponse) => string | undefined;
  readonly start: readonly SiteRequest[];
  /** Reads a response; returns what to fetch next. A {@link MalformedBody} fails the request at once. */
  readonly onResponse: (response: SiteResponse) => Promise<readonly SiteRequest[]> | readonly SiteRequest[];
  /**
   * A request failed after its retries (or its body could not be read); `url` is the address fetched
   * (after `--base-url`). Returns what to fetch next.
   */
  readonly onFailure: (request: SiteRequest, reason: string, url: string) => Promise<readonly SiteRequest[]> | readonly SiteRequest[];
  /** Asked after each failure: a reason to stop the whole crawl (the site is unreachable), or undefined to go on. */
  readonly abandonWhen?: () => string | undefined;
}

export interface SiteCrawlSummary {
  readonly blocked?: { readonly url: string; readonly reason: string };
  readonly statistics: Readonly<Record<string, unknown>>;
}

/**
 * crawlee's HttpCrawler, its Cookie header merged without a cookie jar per request (see
 * cookie-header.ts), and a connection error retried as the network error it is.
 */
class SiteHttpCrawler extends HttpCrawler<HttpCrawlingContext> {
  // crawlee reads a refused or reset connection as a bad proxy and rotates the session instead of
  // counting a retry: up to 10 rotations, so a site that is down held a scrape for about 27 minutes
  // of doubling back-off. There is no proxy here: it is a network error, retried --max-retries times.
  override isProxyError(): boolean {
    return false;
  }

  protected override _applyCookies({ session, request }: CrawlingContext, gotOptions: OptionsInit, preHookCookies: string, postHookCookies: string): void {
    const headers = (gotOptions.headers ??= {});
    const cookie = mergeCookieHeaders([session?.getCookieString(request.url), preHookCookies, headers.cookie, headers.Cookie, postHookCookies]);
    delete headers.Cookie;
    delete headers.cookie;
    if (cookie !== '') headers.Cookie = cookie;
  }
}

export async function crawlSite(options: SiteCrawlOptions): Promise<SiteCrawlSummary> {
  const log = crawleeLog(options.logger, options.site);
  crawleeGlobalLog.setOptions({ logger: log.getOptions().logger, level: log.getLevel() });
  const storage = new MemoryStorage({ localDataDirectory: options.storageDir, persistStorage: false, writeMetadata: false });
  // Concurrency is fixed at one, so crawlee's load sampling (a `ps` child each second) has nothing to scale.
  const config = new Configuration({ storageClient: storage, purgeOnStart: true, persistStorage: false, systemInfoIntervalMillis: 60_000 });
  const gate = new PolitenessGate(options.delayMs, Date.now, options.jitterMs);
  // A plain in-memory queue: the next page (added while its predecessor is handled) starts at once,
  // and a page costs no storage bookkeeping (see crawl-queue.ts).
  const queue = new CrawlQueue();
  let blocked: SiteCrawlSummary['blocked'];
  let abandoned: string | undefined;
  let serial = 0;
  const toCrawlee = (request: SiteRequest) => ({
    url: rebase(request.url, options.baseUrl),
    method: request.method ?? 'GET',
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
    headers: { ...(request.headers ?? {}) },
    // Every request is its own: a site may be asked for the same address again (a retried category).
    uniqueKey: `${serial++}:${request.uniqueKey ?? request.url}`,
    userData: { request },
  });
  const add = async (requests: readonly SiteRequest[], forefront = true) => {
    if (requests.length === 0 || blocked || abandoned) return;
    // Straight into the queue, one by one (added at the front in reverse, so the first is first):
    // crawler.addRequests goes through addRequestsBatched, whose argument checks (ow, capturing a
    // stack for each optional field) cost more per page than the queue's work.
    for (const request of forefront ? [...requests].reverse() : requests) await queue.addRequest(toCrawlee(request), { forefront });
  };
  const block = (url: string, reason: string) => {
    blocked ??= { url, reason };
    crawler.stop(`blocked at ${url}: ${reason}`);
  };
  // The site's own cookies (the store) win over a browser session's cookie of the same name (a
  // session saved while the browser had another store chosen).
  const own = new Set((options.siteCookies ?? '').split(';').map((pair) => pair.split('=')[0]!.trim()).filter(Boolean));
  const cookiesFor = (url: string) => {
    const session = (options.cookiesFor?.(url) ?? '').split(';').map((pair) => pair.trim()).filter((pair) => pair !== '' && !own.has(pair.split('=')[0]!.trim()));
    return [...session, options.siteCookies].filter(Boolean).join('; ');
  };

  // A redirect keeps the crawl's own cookies: the browser session's by their domain and path, the
  // site's own (the store) while the redirect stays on the same host.
  const httpClient = new PageHttpClient({ redirectCookies: (to, from) => (to.host === from.host ? cookiesFor(to.href) : (options.cookiesFor?.(to.href) ?? '')) });
  const crawler: HttpCrawler<HttpCrawlingContext> = new SiteHttpCrawler(
    {
      log,
      httpClient,
      // As `requestQueue`: crawlee 3.18 documents a `requestManager` option but its option check
      // rejects it, while `requestQueue` takes any queue with fetchNextRequest and addRequest and
      // becomes the crawler's request manager.
      requestQueue: queue as unknown as RequestProvider,
      maxConcurrency: 1,
      minConcurrency: 1,
      maxRequestRetries: options.maxRetries,
      navigationTimeoutSecs: options.requestTimeoutMs / 1000,
      requestHandlerTimeoutSecs: MAX_RETRY_AFTER_MS / 1000 + 60,
      additionalHttpErrorStatusCodes: [429],
      additionalMimeTypes: ['application/json', 'text/plain', 'text/javascript'],
      useSessionPool: true,
      persistCookiesPerSession: true,
      sessionPoolOptions: { maxPoolSize: 1, blockedStatusCodes: [], sessionOptions: { maxUsageCount: Number.MAX_SAFE_INTEGER, maxErrorScore: Number.MAX_SAFE_INTEGER } },
      statusMessageLoggingInterval: 60,
      autoscaledPoolOptions: { maybeRunIntervalSecs: 0.05 },
      preNavigationHooks: [
        async ({ request }, gotOptions) => {
          if (blocked) throw new NonRetryableError('the run stopped: the site blocked the scraper');
          if (abandoned) throw new NonRetryableError(`the run stopped: ${abandoned}`);
          await gate.acquire();
          const own = (request.userData.request as SiteRequest).headers ?? {};
          const cookie = cookiesFor(request.url);
          gotOptions.headers = {
            ...gotOptions.headers,
            'User-Agent': options.userAgent,
            Accept: 'application/json, text/html;q=0.9, */*;q=0.8',
            'Accept-Language': 'en-AU,en;q=0.9',
            ...(options.headers ?? {}),
            ...own,
            ...(cookie ? { Cookie: cookie } : {}),
          };
        },
      ],
      requestHandler: async (context: HttpCrawlingContext) => {
        // The delay counts from the whole response, body included.
        gate.release();
        const { request, response, body, contentType } = context;
        const own = request.userData.request as SiteRequest;
        const text = typeof body === 'string' ? body : body.toString(contentType.encoding);
        const reading: SiteResponse = { request: own, url: request.url, status: response.statusCode ?? 0, contentType: contentType.type, text };
        const reason = blockReason(reading) ?? options.isBlocked?.(reading);
        if (reason !== undefined) {
          block(request.url, reason);
          return;
        }
        let next: readonly SiteRequest[];
        try {
          next = await options.onResponse(reading);
        } catch (error) {
          if (error instanceof MalformedBody) request.noRetry = true;
          throw error;
        }
        await add(next);
      },
      errorHandler: async ({ request, response }, error) => {
        gate.release();
        if (blocked || error instanceof MalformedBody) {
          request.noRetry = true;
          return;
        }
        pauseBeforeRetry({ request, response, error }, { gate, block, logger: options.logger, retryBackoffMs: options.retryBackoffMs });
      },
      failedRequestHandler: async ({ request }, error) => {
        gate.release();
        if (blocked || abandoned) return;
        await add(await options.onFailure(request.userData.request as SiteRequest, firstLine(error.message), request.url));
        abandoned = options.abandonWhen?.();
        if (abandoned) crawler.stop(`stopped: ${abandoned}`);
      },
    },
    config,
  );

  let statistics;
  try {
    await add(options.start, false);
    statistics = await crawler.run();
  } finally {
    httpClient.close();
  }
  return { ...(blocked ? { blocked } : {}), statistics: { ...statistics } };
}
