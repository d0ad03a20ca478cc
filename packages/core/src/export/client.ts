/**
 * A typed client of the export API (`trolley serve`): follows `next` links until the end, with one
 * progress line for the rows read. Used by `scrape barcodes --api-url/--dev` for prefill.
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
}

interface PageBody<T> {
  items: T[];
  next: string | null;
}

export class ExportClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ExportClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  products(options: { limit?: number } = {}): AsyncGenerator<ExportProduct> {
    return this.walk<ExportProduct>('products', '/api/export/products', { limit: options.limit });
  }

  prices(options: { storeIds?: readonly number[]; scrapedSince?: string; limit?: number } = {}): AsyncGenerator<ExportPrice> {
    return this.walk<ExportPrice>('prices', '/api/export/prices', { store_ids: options.storeIds?.join(','), scraped_since: options.scrapedSince, limit: options.limit });
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

  private async *walk<T>(label: string, path: string, params: Record<string, string | number | undefined>): AsyncGenerator<T> {
    const first = new URL(path, this.options.baseUrl);
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') first.searchParams.set(name, String(value));
    const task = this.options.progress?.start(`export ${label}`);
    let next: string | null = first.toString();
    try {
      while (next !== null) {
        const page: PageBody<T> = await this.request<PageBody<T>>(new URL(next, first)); // next links are relative to the server
        for (const item of page.items) yield item;
        task?.tick(page.items.length);
        // Keyset pages always move forward; a server that sends the same page again is broken.
        if (page.next === next) throw new Error(`the export API at ${this.options.baseUrl} sent the same next link twice (${next}); stopping`);
        next = page.next;
      }
    } finally {
      task?.done();
    }
  }

  private async request<T>(url: URL, init: RequestInit = {}): Promise<T> {
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) };
    let response: Response;
    try {
      response = await this.fetch(url, { ...init, headers });
    } catch (error) {
      throw new DatabaseUnavailableError(`Cannot reach the export API at ${this.options.baseUrl} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}); start it with trolley serve, or check --api-url.`, 'api-unreachable', error);
    }
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!response.ok) throw new DatabaseUnavailableError(`The export API at ${this.options.baseUrl} answered ${response.status}: ${body?.error?.message ?? response.statusText}`, response.status === 401 ? 'api-key' : 'api-error');
    return body as T;
  }
}
