/**
 * A worker thread of {@link SearchThreads}: holds a copy of the product search index (sent as
 * plain data whenever the catalogue is read again) and answers one page at a time.
 */
import { parentPort } from 'node:worker_threads';
import type { SearchQuery } from './product-search.js';
import { ProductSearchIndex, type SearchIndexData } from './search-index.js';

export type ToSearchWorker = { readonly kind: 'load'; readonly data: SearchIndexData } | { readonly kind: 'page'; readonly id: number; readonly query: SearchQuery };

let index: ProductSearchIndex | undefined;

parentPort?.on('message', (message: ToSearchWorker) => {
  if (message.kind === 'load') {
    index = ProductSearchIndex.fromData(message.data);
    return;
  }
  try {
    if (index === undefined) throw new Error('the search worker was sent a query before the catalogue');
    parentPort!.postMessage({ id: message.id, page: index.page(message.query) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
