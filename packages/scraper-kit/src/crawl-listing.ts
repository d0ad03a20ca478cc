/**
 * A store's product listing on any chain's site: the category list, then each chosen category
 * paged to its end, one category at a time, each reported to the kernel as soon as it is finished.
 * A chain says only how to ask and how to read ({@link ListingSite}); when a category ends is the
 * same everywhere: an empty page, a page the site marks as the last, an "end" status (Aldi's 400
 * past the last page), or a page whose SKUs repeat the previous page's (IGA repeats its last page).
 */
import type { CategoryOutcome, ListedProduct, ListingCategory, ProductListOptions, ProductListSummary } from '@trolley/core';
import { MalformedBody } from './malformed-body.js';
import { crawlSite, type SiteRequest, type SiteResponse } from './site-crawler.js';

export type RequestSpec = Omit<SiteRequest, 'label' | 'data'>;

/** Where a page is: for the chain's reader and for messages. */
export interface PageAt {
  readonly storeId: string;
  readonly category: ListingCategory;
  /** 1-based. */
  readonly page: number;
}

export interface PageReading {
  readonly products: readonly ListedProduct[];
  /** The site says this is the last page (Coles' `noOfResults`). */
  readonly last?: boolean;
}

export interface ListingSite {
  /** The chain, for logs. */
  readonly name: string;
  readonly defaultBaseUrl: string;
  /** Headers every request carries (origin and referer a site wants). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Requests made first, for the cookies they set (a site's home page). */
  session?(storeId: string): readonly RequestSpec[];
  /** Cookies that select the store (`fulfillmentStoreId=0584`). */
  storeCookies?(storeId: string): string | undefined;
  /** A site-specific block page (the generic ones are known already). */
  isBlocked?(response: SiteResponse): string | undefined;
  categoriesRequest(storeId: string): RequestSpec;
  /** The leaf categories to scrape; throws {@link MalformedBody} when the body is not a category list. */
  readCategories(text: string, storeId: string): ListingCategory[];
  pageRequest(at: PageAt): RequestSpec;
  /** Throws {@link MalformedBody} when the body is not a listing page. */
  readPage(text: string, at: PageAt): PageReading;
  /** Statuses that mean "past the last page" (Aldi's 400). */
  readonly endStatuses?: readonly number[];
  /** A category never pages past this (a guard against a site that never says "end"). */
  readonly maxPages?: number;
}

const DEFAULT_MAX_PAGES = 1000;

export async function crawlListing(site: ListingSite, options: ProductListOptions): Promise<ProductListSummary> {
  const storeId = options.storeId;
  let discovered: readonly ListingCategory[] = [];
  let todo: readonly ListingCategory[] = [];
  let failed: ProductListSummary['failed'];
  let next = 0;
  let current: { category: ListingCategory; products: ListedProduct[]; pages: number; lastSkus: string } | undefined;
  const where = (at: PageAt) => `${site.name} store ${storeId}, category ${at.category.name}, page ${at.page}`;

  const pageOf = (category: ListingCategory, page: number): SiteRequest => {
    const at = { storeId, category, page };
    return { ...site.pageRequest(at), label: 'page', data: { page } };
  };
  const startNext = (): SiteRequest[] => {
    const category = todo[next++];
    if (!category) {
      current = undefined;
      return [];
    }
    current = { category, products: [], pages: 0, lastSkus: '' };
    return [pageOf(category, 1)];
  };
  const finish = async (outcome: CategoryOutcome): Promise<SiteRequest[]> => {
    await options.onCategory(outcome);
    return startNext();
  };

  const summary = await crawlSite({
    ...options,
    site: site.name,
    headers: site.headers,
    siteCookies: site.storeCookies?.(storeId),
    isBlocked: site.isBlocked ? (r) => site.isBlocked!(r) : undefined,
    start: [...(site.session?.(storeId) ?? []).map((r) => ({ ...r, label: 'session' })), { ...site.categoriesRequest(storeId), label: 'categories' }],
    onResponse: async (response) => {
      const { request } = response;
      if (request.label === 'session') return [];
      if (request.label === 'categories') {
        if (response.status >= 400) throw new MalformedBody(`the category list of ${site.name} store ${storeId} answered HTTP ${response.status}`);
        discovered = site.readCategories(response.text, storeId);
        todo = await options.selectCategories(discovered);
        return startNext();
      }
      const state = current!;
      const at: PageAt = { storeId, category: state.category, page: Number(request.data?.page) };
      state.pages++;
      if (site.endStatuses?.includes(response.status)) return finish({ status: 'done', category: state.category, products: state.products, pages: state.pages });
      if (response.status >= 400) throw new MalformedBody(`${where(at)} answered HTTP ${response.status}`);
      let reading: PageReading;
      try {
        reading = site.readPage(response.text, at);
      } catch (error) {
        if (error instanceof MalformedBody) throw new MalformedBody(`${where(at)} (${response.url}): ${error.message}`);
        throw error;
      }
      const skus = reading.products.map((p) => String(p.sku)).join('\u0000');
      const repeated = skus !== '' && skus === state.lastSkus;
      if (!repeated) state.products.push(...reading.products);
      state.lastSkus = skus;
      const end = reading.products.length === 0 || repeated || reading.last === true || at.page >= (site.maxPages ?? DEFAULT_MAX_PAGES);
      if (at.page >= (site.maxPages ?? DEFAULT_MAX_PAGES)) options.logger.warn({ category: state.category.key }, `${where(at)}: stopped paging at the limit of ${site.maxPages ?? DEFAULT_MAX_PAGES} pages`);
      return end ? finish({ status: 'done', category: state.category, products: state.products, pages: state.pages }) : [pageOf(state.category, at.page + 1)];
    },
    onFailure: async (request, reason, url) => {
      if (request.label === 'session') return [];
      if (request.label === 'categories') {
        failed = { url, reason };
        return [];
      }
      const state = current!;
      const page = Number(request.data?.page);
      const message = reason.startsWith(`${site.name} store `) ? reason : `${where({ storeId, category: state.category, page })}: ${reason}`;
      return finish({ status: 'failed', category: state.category, products: state.products, pages: state.pages, reason: message });
    },
  });
  return { ...summary, ...(failed ? { failed } : {}), discovered };
}
