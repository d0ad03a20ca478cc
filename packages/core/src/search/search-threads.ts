/**
 * Product search on worker threads. Scoring a query that is not kept is pure CPU work (about half
 * a millisecond on a large catalogue of near-twin names), and on the server's one event loop it
 * caps search at one core however many the machine has. Each worker holds a copy of the index
 * (sent as plain data after each read of the catalogue) and a query goes to the worker with the
 * fewest waiting; the event loop keeps HTTP, the kept pages and everything else.
 */
import { Worker } from 'node:worker_threads';
import type { SearchPage, SearchQuery } from './product-search.js';
import type { SearchIndexData } from './search-index.js';
import type { ToSearchWorker } from './search-worker.js';

interface Waiting {
  resolve(page: SearchPage): void;
  reject(error: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly waiting: Map<number, Waiting>;
  alive: boolean;
}

export class SearchThreads {
  private readonly threads: Thread[];
  private nextId = 0;

  constructor(count: number) {
    this.threads = Array.from({ length: count }, () => this.start());
  }

  /** Threads still answering. */
  get alive(): number {
    return this.threads.filter((t) => t.alive).length;
  }

  /** Every thread searches this catalogue from now on (queries sent before are answered from the one they were sent to). */
  load(data: SearchIndexData): void {
    const message: ToSearchWorker = { kind: 'load', data };
    for (const thread of this.threads) if (thread.alive) thread.worker.postMessage(message);
  }

  /** One page of matches, found on the thread with the fewest queries waiting. */
  page(query: SearchQuery): Promise<SearchPage> {
    let chosen: Thread | undefined;
    for (const thread of this.threads) if (thread.alive && (chosen === undefined || thread.waiting.size < chosen.waiting.size)) chosen = thread;
    if (chosen === undefined) return Promise.reject(new Error('no search thread is running'));
    const id = this.nextId++;
    const thread = chosen;
    return new Promise<SearchPage>((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.postMessage({ kind: 'page', id, query } satisfies ToSearchWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const worker = new Worker(new URL('./search-worker.js', import.meta.url));
    // An idle thread does not keep the process alive (a command that forgot to close the server still exits).
    worker.unref();
    const thread: Thread = { worker, waiting: new Map(), alive: true };
    worker.on('message', (answer: { id: number; page?: SearchPage; error?: string }) => {
      const waiting = thread.waiting.get(answer.id);
      if (waiting === undefined) return;
      thread.waiting.delete(answer.id);
      if (answer.page !== undefined) waiting.resolve(answer.page);
      else waiting.reject(new Error(`search failed on a worker thread: ${answer.error}`));
    });
    const stopped = (error: Error) => {
      thread.alive = false;
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`a search thread stopped (exit code ${code})`)));
    return thread;
  }
}
