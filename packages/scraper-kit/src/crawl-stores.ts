/**
 * A chain's store locator: a list of requests (one, or a grid of points over the country) whose
 * answers each hold some stores. Duplicates across grid points are the kernel's to drop.
 */
import type { ListedStore, ScrapeSummary, StoreListOptions } from '@trolley/core';
import { MalformedBody } from './malformed-body.js';
import { crawlSite, type SiteResponse } from './site-crawler.js';
import type { RequestSpec } from './crawl-listing.js';

export interface StoreSite {
  readonly name: string;
  readonly defaultBaseUrl: string;
  readonly headers?: Readonly<Record<string, string>>;
  session?(): readonly RequestSpec[];
  isBlocked?(response: SiteResponse): string | undefined;
  /** The locator's requests; `gridStep` (degrees) when the user chose one. */
  requests(gridStep?: number): readonly RequestSpec[];
  /** Throws {@link MalformedBody} when the body is not a store list. */
  readStores(text: string): ListedStore[];
}

/**
 * Locator requests that must all fail, none answering, before a crawl gives up on the site (a host
 * that refuses connections, a wrong --base-url) instead of failing each of a grid's thousand points.
 */
export const FIRST_LOCATOR_REQUESTS = 5;

export async function crawlStores(site: StoreSite, options: StoreListOptions): Promise<ScrapeSummary> {
  let failed: ScrapeSummary['failed'];
  let answered = 0;
  let failures = 0;
  const summary = await crawlSite({
    ...options,
    site: site.name,
    headers: site.headers,
    isBlocked: site.isBlocked ? (r) => site.isBlocked!(r) : undefined,
    start: [...(site.session?.() ?? []).map((r) => ({ ...r, label: 'session' })), ...site.requests(options.gridStep).map((r) => ({ ...r, label: 'stores' }))],
    onResponse: async (response) => {
      if (response.request.label === 'session') return [];
      answered++;
      if (response.status >= 400) throw new MalformedBody(`the ${site.name} store locator answered HTTP ${response.status} at ${response.url}`);
      try {
        await options.onStores(site.readStores(response.text));
      } catch (error) {
        if (error instanceof MalformedBody) throw new MalformedBody(`the ${site.name} store locator at ${response.url}: ${error.message}`);
        throw error;
      }
      return [];
    },
    onFailure: (request, reason, url) => {
      if (request.label === 'session') return [];
      failed ??= { url, reason };
      failures++;
      return [];
    },
    abandonWhen: () => (answered === 0 && failures >= FIRST_LOCATOR_REQUESTS ? `the first ${failures} requests of the ${site.name} store locator all failed` : undefined),
  });
  return { ...summary, ...(failed ? { failed } : {}) };
}
