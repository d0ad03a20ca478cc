/**
 * Product search on worker threads. Scoring a query that is not kept is pure CPU work (about half
 * a millisecond on a large catalogue of near-twin names), and on the server's one event loop it
 * caps search at one core however many the machine has. Each worker holds a copy of the index
 * (sent as plain data after each read of the catalogue); the event loop keeps HTTP, the kept pages
 * and everything else.
 *
 * Queries go through one queue in shared memory (query-ring.ts), first come first served by
 * whichever thread is free. When its slots are all taken, or a query is too large for one, the
 * query is sent as a message to the thread with the fewest such messages unanswered; a thread
 * answers its messages before its next query from the queue.
 */
import { Worker } from 'node:worker_threads';
import type { SearchPage, SearchQuery } from './product-search.js';
import { QueryRingWriter, queryRingMemory } from './query-ring.js';
import type { SearchIndexData } from './search-index.js';
import type { FromSearchWorker, SearchWorkerData, ToSearchWorker } from './search-worker.js';

interface Waiting {
  resolve(page: SearchPage): void;
  reject(error: Error): void;
  /** The thread it was sent to as a message (undefined: put in the queue). */
  sentTo?: Thread;
}

interface Thread {
  readonly worker: Worker;
  /** Queries sent to it as messages and not answered yet. */
  sent: number;
  alive: boolean;
}

export class SearchThreads {
  private readonly ring = queryRingMemory();
  private readonly writer = new QueryRingWriter<SearchQuery>(this.ring);
  private readonly holding: Int32Array;
  private readonly threads: Thread[];
  /** Every query not answered yet, by id (in the queue, sent, or being scored). */
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(count: number) {
    this.holding = new Int32Array(new SharedArrayBuffer(4 * count)).fill(-1);
    this.threads = Array.from({ length: count }, (_, thread) => this.start(thread));
  }

  /** Threads still answering. */
  get alive(): number {
    return this.threads.filter((t) => t.alive).length;
  }

  /** Every thread searches this catalogue from now on: a query put after this call is searched in it. */
  load(data: SearchIndexData): void {
    const message: ToSearchWorker = { kind: 'load', data };
    for (const thread of this.threads) if (thread.alive) thread.worker.postMessage(message);
  }

  /** One page of matches, found on the first thread free to take it. */
  page(query: SearchQuery): Promise<SearchPage> {
    if (this.alive === 0) return Promise.reject(new Error('no search thread is running'));
    const id = this.nextId;
    // Ids stay non-negative (-1 marks a thread holding none).
    this.nextId = (this.nextId + 1) & 0x3fffffff;
    return new Promise<SearchPage>((resolve, reject) => {
      const waiting: Waiting = { resolve, reject };
      this.waiting.set(id, waiting);
      if (this.writer.put(id, query)) return;
      let chosen: Thread | undefined;
      for (const thread of this.threads) if (thread.alive && (chosen === undefined || thread.sent < chosen.sent)) chosen = thread;
      waiting.sentTo = chosen!;
      chosen!.sent++;
      chosen!.worker.postMessage({ kind: 'page', id, query } satisfies ToSearchWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(number: number): Thread {
    const workerData: SearchWorkerData = { ring: this.ring, holding: this.holding.buffer as SharedArrayBuffer, thread: number };
    const worker = new Worker(new URL('./search-worker.js', import.meta.url), { workerData });
    // An idle thread does not keep the process alive (a command that forgot to close the server still exits).
    worker.unref();
    const thread: Thread = { worker, sent: 0, alive: true };
    worker.on('message', (answer: FromSearchWorker) => {
      const waiting = this.waiting.get(answer.id);
      if (waiting === undefined) return;
      this.waiting.delete(answer.id);
      if (waiting.sentTo) waiting.sentTo.sent--;
      if (answer.page !== undefined) waiting.resolve(answer.page);
      else waiting.reject(new Error(`search failed on a worker thread: ${answer.error}`));
    });
    const stopped = (error: Error) => {
      if (!thread.alive) return;
      thread.alive = false;
      // The query it was scoring fails, and those sent to it; the others in the queue wait for the
      // threads left, or fail with none left.
      const held = Atomics.exchange(this.holding, number, -1);
      for (const [id, waiting] of [...this.waiting]) {
        if (id !== held && waiting.sentTo !== thread && this.alive > 0) continue;
        waiting.reject(error);
        this.waiting.delete(id);
      }
      // It may have been the one woken for a query still in the queue: wake the others.
      if (this.alive > 0) this.writer.wakeAll();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`a search thread stopped (exit code ${code})`)));
    return thread;
  }
}
