/**
 * A queue of search queries in shared memory, from the event loop to the search threads: the event
 * loop puts a query in the next free slot and wakes one thread; a thread free to score takes the
 * oldest query itself, with no message and no turn of the event loop in between. So queries are
 * answered first come first served by whichever thread is free: a thread the operating system
 * parks for a few milliseconds (as it does when threads outnumber cores) holds up the one query it
 * took, not a queue of its own that another thread could have answered.
 *
 * Layout: an Int32Array of two counters (queries put, queries taken; both wrap) and, per slot, a
 * state, the query's id and its length in bytes; beside it the slots' bytes (the query as JSON).
 */

/** Slots: more than the queries a server has in flight at once under ordinary load; beyond it they go to a thread as messages (search-threads.ts). */
export const RING_SLOTS = 256;
/** Bytes per slot: a query of the read API (q ≤ 200 characters, filters, cursor) as JSON fits many times over. */
export const SLOT_BYTES = 4096;

const PUT = 0;
const TAKEN = 1;
const HEADER = 2;
const EMPTY = 0;
const FILLED = 1;

export interface QueryRingMemory {
  readonly control: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer;
}

export function queryRingMemory(): QueryRingMemory {
  return { control: new SharedArrayBuffer(4 * (HEADER + 3 * RING_SLOTS)), bytes: new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES) };
}

/** `Atomics.waitAsync` (in Node since 16; TypeScript declares it from its ES2024 library on). */
const waitAsync = (Atomics as unknown as { waitAsync(cells: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The ring's memory as typed arrays, for either side. */
abstract class QueryRingSide {
  protected readonly control: Int32Array;
  protected readonly bytes: Uint8Array;

  constructor(memory: QueryRingMemory) {
    this.control = new Int32Array(memory.control);
    this.bytes = new Uint8Array(memory.bytes);
  }
}

/** The event loop's side: puts queries in. */
export class QueryRingWriter<Q> extends QueryRingSide {
  /** Puts a query in the next slot and wakes a waiting thread; false when that slot is still taken or the query is too large for one. */
  put(id: number, query: Q): boolean {
    const put = Atomics.load(this.control, PUT);
    const slot = put & (RING_SLOTS - 1);
    const state = HEADER + 3 * slot;
    if (Atomics.load(this.control, state) !== EMPTY) return false;
    const json = JSON.stringify(query);
    const { read, written } = encoder.encodeInto(json, this.bytes.subarray(slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES));
    // Cut off (at a character's edge, so perhaps short of the slot's end): too large for a slot.
    if (read !== json.length) return false;
    this.control[state + 1] = id;
    this.control[state + 2] = written;
    Atomics.store(this.control, state, FILLED);
    Atomics.store(this.control, PUT, (put + 1) | 0);
    Atomics.notify(this.control, PUT, 1);
    return true;
  }

  /** Wakes every waiting thread (one woken for a query may have stopped before taking it). */
  wakeAll(): void {
    Atomics.notify(this.control, PUT);
  }
}

/** A search thread's side: takes queries out. */
export class QueryRingReader<Q> extends QueryRingSide {
  /**
   * The oldest query no thread has taken, taken now; undefined when there is none. Its id is
   * written to `holding[cell]` before it is taken (-1 when there is none), so that whoever sees
   * this thread stop knows which query it was answering.
   */
  take(holding: Int32Array, cell: number): { id: number; query: Q } | undefined {
    for (;;) {
      const taken = Atomics.load(this.control, TAKEN);
      if (taken === Atomics.load(this.control, PUT)) {
        Atomics.store(holding, cell, -1);
        return undefined;
      }
      const slot = taken & (RING_SLOTS - 1);
      const state = HEADER + 3 * slot;
      // The writer fills a slot before it counts it put, and refills it only once it is taken and
      // emptied: until the count taken moves on, this slot holds query number `taken`.
      const id = this.control[state + 1]!;
      Atomics.store(holding, cell, id);
      if (Atomics.compareExchange(this.control, TAKEN, taken, (taken + 1) | 0) !== taken) continue;
      const length = this.control[state + 2]!;
      const query = JSON.parse(decoder.decode(this.bytes.slice(slot * SLOT_BYTES, slot * SLOT_BYTES + length))) as Q;
      Atomics.store(this.control, state, EMPTY);
      return { id, query };
    }
  }

  /** Resolves once a query may have been put since `take` last found none. */
  async arrival(): Promise<void> {
    const put = Atomics.load(this.control, PUT);
    if (put !== Atomics.load(this.control, TAKEN)) return;
    const waiting = waitAsync(this.control, PUT, put);
    if (waiting.async) await waiting.value;
  }
}
