/**
 * A typed client of the export API (`trolley serve`): follows `next` links until the end, with one
 * progress line for the rows read. Used by `scrape barcodes --api-url/--dev` for prefill.
 *
 * The API key goes to the API's own origin only: a `next` link or a redirect to another origin stops
 * the walk (a compromised or misconfigured server cannot collect the key). Each request gives up
 * after a timeout; network errors, timeouts, 429 and 5xx answers are retried with a doubling pause
 * (Retry-After honoured), other answers are not.
 */
import type { ProgressReporter } from '../context/progress.js';
import { DatabaseUnavailableError } from '../errors.js';
import type { ExportPrice, ExportProduct } from './export-queries.js';
import type { BarcodeQuery, KnownBarcodes } from './known-barcodes.js';

/** Where `trolley serve` listens by default: what `--dev` means. */
export const DEV_API_URL = 'http://127.0.0.1:8787';

export interface ExportClientOptions {
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  readonly progress?: ProgressReporter | undefined;
  readonly fetch?: typeof fetch;
  /** One request gives up after this long (ms). */
  readonly timeoutMs?: number;
  /** Further tries of a request after a network error, a timeout, a 429 or a 5xx. */
  readonly retries?: number;
  /** Pause before the first retry (ms), doubled for each further one. */
  readonly retryBackoffMs?: number;
}

export const EXPORT_CLIENT_DEFAULTS = { timeoutMs: 30_000, retries: 3, retryBackoffMs: 500 } as const;
/** A Retry-After longer than this is not waited out. */
const MAX_RETRY_WAIT_MS = 60_000;
const MAX_REDIRECTS = 5;

interface PageBody<T> {
  items: T[];
  next: string | null;
}

/** Store ids longer than this, joined, go in a POST body instead of the query. */
const MAX_QUERY_IDS_LENGTH = 2_000;

export class ExportClient {
  private readonly fetch: typeof fetch;
  private readonly origin: string;

  constructor(private readonly options: ExportClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.origin = new URL(options.baseUrl).origin;
  }

  products(options: { limit?: number } = {}): AsyncGenerator<ExportProduct> {
    return this.walk<ExportProduct>('products', '/api/export/products', { limit: options.limit });
  }

  prices(options: { storeIds?: readonly number[]; scrapedSince?: string; limit?: number } = {}): AsyncGenerator<ExportPrice> {
    const storeIds = options.storeIds?.join(',');
    // A long list of stores goes in a body: a request head holds a few kilobytes.
    if (storeIds !== undefined && storeIds.length > MAX_QUERY_IDS_LENGTH) {
      return this.walkBody<ExportPrice>('prices', '/api/export/prices', { store_ids: options.storeIds, scraped_since: options.scrapedSince, limit: options.limit });
    }
    return this.walk<ExportPrice>('prices', '/api/export/prices', { store_ids: storeIds, scraped_since: options.scrapedSince, limit: options.limit });
  }

  async barcodes(query: BarcodeQuery): Promise<KnownBarcodes> {
    const result: { bySku: Record<string, string>; byKey: Record<string, string> } = { bySku: {}, byKey: {} };
    const skus = [...(query.skus ?? [])];
    const keys = [...(query.keys ?? [])];
    // The server answers at most 5,000 at once.
    for (let i = 0; i < Math.max(skus.length, keys.length); i += 2_500) {
      const some = (list: string[]) => (list.length > 0 ? list : undefined);
      const body = { company: query.company, skus: some(skus.slice(i, i + 2_500)), keys: some(keys.slice(i, i + 2_500)) };
      const page = await this.request<KnownBarcodes>(new URL('/api/products/barcodes', this.options.baseUrl), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      Object.assign(result.bySku, page.bySku);
      Object.assign(result.byKey, page.byKey);
    }
    return result;
  }

  /** Pages of a GET route, following each answer's next link until it is null. */
  private walk<T>(label: string, path: string, params: Record<string, string | number | undefined>): AsyncGenerator<T> {
    const first = new URL(path, this.options.baseUrl);
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') first.searchParams.set(name, String(value));
    return this.pages<T>(label, first.toString(), 'next link', async (next) => {
      // next links are relative to the page that carried them; only the API's own origin is followed.
      const page = await this.request<PageBody<T>>(this.ownUrl(new URL(next, first).href, 'next link'));
      return { items: page.items, next: page.next };
    });
  }

  /** Pages of a POST route: the same body again with each answer's cursor, until it is null. */
  private walkBody<T>(label: string, path: string, body: Record<string, unknown>): AsyncGenerator<T> {
    const url = new URL(path, this.options.baseUrl);
    return this.pages<T>(label, '', 'cursor', async (cursor) => {
      const init = { method: 'POST', body: JSON.stringify({ ...body, ...(cursor === '' ? {} : { cursor }) }), headers: { 'content-type': 'application/json' } };
      const page = await this.request<{ items: T[]; cursor: string | null }>(url, init);
      return { items: page.items, next: page.cursor };
    });
  }

  /** Every item of a walk whose pages each name the next (`first` asks for the first page), with progress. */
  private async *pages<T>(label: string, first: string, what: string, page: (next: string) => Promise<{ items: T[]; next: string | null }>): AsyncGenerator<T> {
    const task = this.options.progress?.start(`export ${label}`);
    let next: string | null = first;
    try {
      while (next !== null) {
        const answer = await page(next);
        for (const item of answer.items) yield item;
        task?.tick(answer.items.length);
        // Keyset pages always move forward; a server that sends the same page again is broken.
        if (answer.next === next) throw new Error(`the export API at ${this.options.baseUrl} sent the same ${what} twice (${next}); stopping`);
        next = answer.next;
      }
    } finally {
      task?.done();
    }
  }

  /** `href` resolved against the API's address, refused when it leaves the API's origin. */
  private ownUrl(href: string, what: string): URL {
    const url = new URL(href, this.options.baseUrl);
    if (url.origin !== this.origin) {
      throw new DatabaseUnavailableError(
        `The export API at ${this.options.baseUrl} sent a ${what} to another site (${url.origin}); trolley follows links on the API's own address only, so the API key is not sent there: check --api-url.`,
        'api-foreign-link',
      );
    }
    return url;
  }

  private async request<T>(first: URL, init: RequestInit = {}): Promise<T> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) };
    const retries = this.options.retries ?? EXPORT_CLIENT_DEFAULTS.retries;
    const timeoutMs = this.options.timeoutMs ?? EXPORT_CLIENT_DEFAULTS.timeoutMs;
    let url = first;
    for (let attempt = 0, redirects = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
        if (attempt < retries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new DatabaseUnavailableError(`Cannot reach the export API at ${this.options.baseUrl} (${reason}, ${attempt + 1} tries); start it with trolley serve, or check --api-url.`, 'api-unreachable', error);
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        if (++redirects > MAX_REDIRECTS) throw new DatabaseUnavailableError(`The export API at ${this.options.baseUrl} redirected more than ${MAX_REDIRECTS} times; check --api-url.`, 'api-error');
        url = this.ownUrl(response.headers.get('location')!, 'redirect');
        attempt--;
        continue;
      }
      const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      if (response.ok) return body as T;
      if ((response.status === 429 || response.status >= 500) && attempt < retries) {
        await sleep(retryAfterMs(response.headers.get('retry-after')) ?? this.backoff(attempt));
        continue;
      }
      throw new DatabaseUnavailableError(`The export API at ${this.options.baseUrl} answered ${response.status}: ${body?.error?.message ?? response.statusText}`, response.status === 401 ? 'api-key' : 'api-error');
    }
  }

  private backoff(attempt: number): number {
    return Math.min(MAX_RETRY_WAIT_MS, (this.options.retryBackoffMs ?? EXPORT_CLIENT_DEFAULTS.retryBackoffMs) * 2 ** attempt);
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_WAIT_MS, Math.max(0, ms)) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
