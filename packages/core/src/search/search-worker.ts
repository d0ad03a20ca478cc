/**
 * A worker thread of {@link SearchThreads}: holds a copy of the product search index (sent as
 * plain data whenever the catalogue is read again) and takes queries from the shared queue
 * (query-ring.ts) one at a time while there are any, answering each with a message.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SearchPage, SearchQuery } from './product-search.js';
import { QueryRingReader, type QueryRingMemory } from './query-ring.js';
import { ProductSearchIndex, type SearchIndexData } from './search-index.js';

export type ToSearchWorker = { readonly kind: 'load'; readonly data: SearchIndexData } | { readonly kind: 'page'; readonly id: number; readonly query: SearchQuery };
export interface FromSearchWorker {
  readonly id: number;
  readonly page?: SearchPage;
  readonly error?: string;
}
export interface SearchWorkerData {
  readonly ring: QueryRingMemory;
  /** One cell per thread: the id of the query it took from the ring and is answering, or -1 (so a thread that stops fails that query). */
  readonly holding: SharedArrayBuffer;
  readonly thread: number;
}

const port = parentPort!;
const data = workerData as SearchWorkerData;
const ring = new QueryRingReader<SearchQuery>(data.ring);
const holding = new Int32Array(data.holding);
let index: ProductSearchIndex | undefined;

function receive(message: ToSearchWorker): void {
  if (message.kind === 'load') index = ProductSearchIndex.fromData(message.data);
  else answer(message.id, message.query);
}

function answer(id: number, query: SearchQuery): void {
  try {
    if (index === undefined) throw new Error('the search worker was sent a query before the catalogue');
    port.postMessage({ id, page: index.page(query) } satisfies FromSearchWorker);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies FromSearchWorker);
  }
}

// Listening keeps the thread alive while it waits for a query (a pending Atomics.waitAsync does not).
port.on('message', receive);

for (;;) {
  await ring.arrival();
  for (let next = ring.take(holding, data.thread); next !== undefined; next = ring.take(holding, data.thread)) {
    // A catalogue sent before this query was put is searched, whether or not the event loop ran
    // since (queries sent as messages meanwhile are answered first).
    for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) receive(message.message as ToSearchWorker);
    answer(next.id, next.query);
  }
}
