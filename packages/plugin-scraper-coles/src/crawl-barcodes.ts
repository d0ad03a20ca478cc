/**
 * The `barcodes` capability of the Coles scraper on crawlee's HttpCrawler: its request queue (in
 * memory, under the scratch directory the kernel gives, never the working directory), its retries,
 * its session (one, keeping the site's cookies, with the user's `--cookies` on every request) and
 * its statistics. Politeness (delay, Retry-After, backoff) is a shared gate before every request.
 * A block page stops the crawl at once; nothing is retried in a loop.
 */
import { Configuration, HttpCrawler, NonRetryableError, RequestList, log as crawleeGlobalLog, type HttpCrawlingContext } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import type { BarcodeFetchOptions, BarcodeFetchSummary, BarcodeOutcome, BarcodeWorkItem } from '@trolley/core';
import { crawleeLog, firstLine, MAX_RETRY_AFTER_MS, PageHttpClient, pauseBeforeRetry, PolitenessGate } from '@trolley/scraper-kit';
import { readProductPage } from './product-page.js';

export async function crawlBarcodes(items: readonly BarcodeWorkItem[], options: BarcodeFetchOptions): Promise<BarcodeFetchSummary> {
  const log = crawleeLog(options.logger, 'coles');
  crawleeGlobalLog.setOptions({ logger: log.getOptions().logger, level: log.getLevel() });
  const storage = new MemoryStorage({ localDataDirectory: options.storageDir, persistStorage: false, writeMetadata: false });
  // Crawlee samples CPU and memory (a `ps` child process) every second to scale concurrency; the
  // concurrency here is fixed (min = max), so once a minute is plenty.
  const config = new Configuration({ storageClient: storage, purgeOnStart: true, persistStorage: false, systemInfoIntervalMillis: 60_000 });
  const gate = new PolitenessGate(options.delayMs);
  const itemsByKey = new Map(items.map((item) => [item.key, item]));
  let blocked: BarcodeFetchSummary['blocked'];
  const report = async (outcome: BarcodeOutcome) => {
    await options.onOutcome(outcome);
  };
  const block = (url: string, reason: string) => {
    blocked ??= { url, reason };
    crawler.stop(`blocked at ${url}: ${reason}`);
  };

  const httpClient = new PageHttpClient();
  const sources = items.map((item) => ({ url: item.url, uniqueKey: item.key, userData: { key: item.key } }));
  // An in-memory RequestList rather than a request queue: the work list is known up front, nothing
  // is enqueued during the crawl, and the progress file (not crawlee) is what a resume reads. The
  // queue validated and copied every request on each state change (a third of the CPU per page).
  const requestList = await RequestList.open({ sources });
  const crawler: HttpCrawler<HttpCrawlingContext> = new HttpCrawler(
    {
      log,
      httpClient,
      requestList,
      maxConcurrency: options.concurrency,
      minConcurrency: options.concurrency,
      maxRequestRetries: options.maxRetries,
      navigationTimeoutSecs: options.requestTimeoutMs / 1000,
      // The gate may hold a request back for a Retry-After; that wait is part of the handler's time.
      requestHandlerTimeoutSecs: MAX_RETRY_AFTER_MS / 1000 + 60,
      additionalHttpErrorStatusCodes: [429],
      useSessionPool: true,
      persistCookiesPerSession: true,
      // One session for the whole run: a real browser session's cookies are what gets past the site.
      sessionPoolOptions: { maxPoolSize: 1, blockedStatusCodes: [], sessionOptions: { maxUsageCount: Number.MAX_SAFE_INTEGER, maxErrorScore: Number.MAX_SAFE_INTEGER } },
      statusMessageLoggingInterval: 60,
      preNavigationHooks: [
        async ({ request }, gotOptions) => {
          if (blocked) throw new NonRetryableError('the run stopped: the site blocked the scraper');
          if (options.signal?.aborted) throw new NonRetryableError('the run stopped: the kernel stopped it');
          await gate.acquire();
          gotOptions.headers = {
            ...gotOptions.headers,
            'User-Agent': options.userAgent,
            Accept: request.url.endsWith('.json') ? 'application/json' : 'text/html,application/xhtml+xml',
            'Accept-Language': 'en-AU,en;q=0.9',
          };
          const cookie = options.cookiesFor?.(request.url);
          if (cookie !== undefined) gotOptions.headers.Cookie = cookie;
        },
      ],
      requestHandler: async (context: HttpCrawlingContext) => {
        // The delay counts from the whole response (crawlee has read the body by now), not from
        // its headers: a slow body must not eat into the pause the site sees.
        gate.release();
        const { request, response, body, contentType } = context;
        const key = String(request.userData.key);
        const url = itemsByKey.get(key)?.url ?? request.url;
        const text = typeof body === 'string' ? body : body.toString(contentType.encoding);
        const reading = readProductPage(response.statusCode ?? 0, contentType.type, text);
        switch (reading.kind) {
          case 'blocked':
            block(url, reading.reason);
            return;
          case 'broken':
            // Retried by crawlee; reported as failed after the last retry.
            if (reading.reason.startsWith('unexpected HTTP 4')) request.noRetry = true;
            throw new Error(reading.reason);
          case 'not-found':
            await report({ status: 'none', key, url, reason: `not-found (HTTP ${response.statusCode})` });
            return;
          case 'product': {
            let rejected: string | undefined;
            for (const candidate of reading.candidates) {
              const checked = options.checkBarcode(candidate.value);
              if (checked.barcode !== null) {
                await report({ status: 'found', key, url, barcode: checked.barcode, via: candidate.via });
                return;
              }
              if ('rejected' in checked && checked.rejected !== undefined) rejected ??= checked.rejected;
            }
            await report({ status: 'none', key, url, reason: rejected ? 'bad-check-digit' : 'no-barcode', ...(rejected ? { rejected } : {}) });
            return;
          }
        }
      },
      errorHandler: async ({ request, response }, error) => {
        gate.release();
        if (blocked || options.signal?.aborted) {
          request.noRetry = true;
          return;
        }
        pauseBeforeRetry({ request, response, error }, { gate, block, logger: options.logger, retryBackoffMs: options.retryBackoffMs });
      },
      failedRequestHandler: async ({ request }, error) => {
        gate.release();
        if (blocked || options.signal?.aborted) return;
        const key = String(request.userData.key);
        await report({ status: 'failed', key, url: itemsByKey.get(key)?.url ?? request.url, reason: firstLine(error.message) });
      },
    },
    config,
  );

  const stop = () => crawler.stop('the kernel stopped the run');
  options.signal?.addEventListener('abort', stop, { once: true });
  let statistics;
  try {
    statistics = await crawler.run();
  } finally {
    options.signal?.removeEventListener('abort', stop);
    httpClient.close();
  }
  return { ...(blocked ? { blocked } : {}), statistics: { ...statistics } };
}
