/**
 * The site crawl's request queue: crawlee's request-manager interface (`requestManager` of its
 * crawlers) over a plain in-memory list, for a crawl that runs one request at a time in the order
 * it asks for them and keeps nothing between runs (a rerun resumes from the kernel's category
 * state, not from the queue).
 *
 * crawlee's own RequestQueue does the same work through a storage client: each page is checked
 * (ow, shapeshift), serialised, hashed into an id, written to the in-memory store, read back into a
 * new Request and updated again when handled, and a reclaimed (retried) request only returns to
 * the queue's head after a 3-second consistency delay meant for a remote store. At a few hundred
 * pages a second that bookkeeping cost about as much as the fetch itself. Here a request is built
 * once (crawlee's `Request`), handed out, and either marked handled or put back at the front.
 */
import { Request, type AddRequestsBatchedResult, type IRequestManager, type RequestOptions, type RequestQueueOperationInfo, type RequestQueueOperationOptions, type RequestsLike, type Source } from '@crawlee/http';

export class CrawlQueue implements IRequestManager {
  /** Waiting requests, the next first. */
  private readonly waiting: Request[] = [];
  private readonly inProgress = new Set<Request>();
  private handled = 0;
  private total = 0;
  private serial = 0;

  async isFinished(): Promise<boolean> {
    return this.waiting.length === 0 && this.inProgress.size === 0;
  }

  async isEmpty(): Promise<boolean> {
    return this.waiting.length === 0;
  }

  async handledCount(): Promise<number> {
    return this.handled;
  }

  getTotalCount(): number {
    return this.total;
  }

  getPendingCount(): number {
    return this.waiting.length + this.inProgress.size;
  }

  async fetchNextRequest<T extends Record<string, unknown> = Record<string, unknown>>(): Promise<Request<T> | null> {
    const request = this.waiting.shift();
    if (request === undefined) return null;
    this.inProgress.add(request);
    return request as unknown as Request<T>;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Request> {
    for (let request = await this.fetchNextRequest(); request !== null; request = await this.fetchNextRequest()) yield request;
  }

  async markRequestHandled(request: Request): Promise<RequestQueueOperationInfo> {
    if (this.inProgress.delete(request)) this.handled++;
    request.handledAt ??= new Date().toISOString();
    return this.info(request, false, true);
  }

  /**
   * A request to try again: back at the front at once, so it is retried before anything queued
   * after it (the politeness gate, not the queue, decides how long the retry waits).
   */
  async reclaimRequest(request: Request): Promise<RequestQueueOperationInfo> {
    this.inProgress.delete(request);
    this.put(request, true);
    return this.info(request, true, false);
  }

  /** Every request is new: the caller makes `uniqueKey`s distinct, and nothing is deduplicated. */
  async addRequest(source: Source, options?: RequestQueueOperationOptions): Promise<RequestQueueOperationInfo> {
    const request = source instanceof Request ? source : new Request(source as RequestOptions);
    request.id ??= String(++this.serial);
    this.total++;
    this.put(request, options?.forefront ?? false);
    return { ...this.info(request, options?.forefront ?? false, false), wasAlreadyPresent: false };
  }

  async addRequestsBatched(requests: RequestsLike, options?: RequestQueueOperationOptions): Promise<AddRequestsBatchedResult> {
    const added = [];
    for await (const source of requests as AsyncIterable<Source | string>) {
      const info = await this.addRequest(typeof source === 'string' ? { url: source } : source, options);
      added.push({ uniqueKey: info.uniqueKey, requestId: info.requestId, wasAlreadyPresent: false, wasAlreadyHandled: false });
    }
    return { addedRequests: added, waitForAllRequestsToBeAdded: Promise.resolve([]) };
  }

  private put(request: Request, forefront: boolean): void {
    if (forefront) this.waiting.unshift(request);
    else this.waiting.push(request);
  }

  private info(request: Request, forefront: boolean, handled: boolean): RequestQueueOperationInfo {
    return { requestId: request.id!, uniqueKey: request.uniqueKey, forefront, wasAlreadyPresent: true, wasAlreadyHandled: handled };
  }
}
