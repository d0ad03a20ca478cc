import test from 'ava';
import { Worker } from 'node:worker_threads';
import { QueryRingReader, queryRingMemory, QueryRingWriter, RING_SLOTS, SLOT_BYTES } from '../../src/search/query-ring.js';

test('the query ring gives queries back first in, first out, refuses a full ring or a query too large for a slot, and keeps going past its counters wrapping', (t) => {
  const memory = queryRingMemory();
  const writer = new QueryRingWriter<{ q: string }>(memory);
  const reader = new QueryRingReader<{ q: string }>(memory);
  // The id of the query a reader took, kept until it takes the next or finds none.
  const holding = new Int32Array(1);
  t.is(reader.take(holding, 0), undefined);
  for (let i = 0; i < RING_SLOTS; i++) t.true(writer.put(i, { q: `query ${i} é` }));
  t.false(writer.put(999, { q: 'one too many' }), 'every slot is full');
  for (let i = 0; i < RING_SLOTS; i++) {
    t.deepEqual(reader.take(holding, 0), { id: i, query: { q: `query ${i} é` } });
    t.is(holding[0], i);
  }
  t.is(reader.take(holding, 0), undefined);
  t.is(holding[0], -1);
  // Near the slot's size: a query that fills it exactly is taken whole; one byte more is refused.
  const room = SLOT_BYTES - JSON.stringify({ q: '' }).length;
  t.true(writer.put(1, { q: 'x'.repeat(room) }));
  t.is(reader.take(holding, 0)?.query.q.length, room);
  t.false(writer.put(2, { q: 'x'.repeat(room + 1) }));
  t.false(writer.put(3, { q: 'é'.repeat(room) }), 'counted in bytes, not characters');
  // Three bytes a character: cut off short of the slot's end, and still refused.
  t.false(writer.put(4, { q: '€'.repeat(Math.ceil(room / 3)) }));
  t.true(writer.put(5, { q: '€'.repeat(Math.floor((room - 1) / 3)) }));
  t.is(reader.take(holding, 0)?.query.q, '€'.repeat(Math.floor((room - 1) / 3)));
  // The counters are 32-bit and wrap: start them just below the wrap.
  const control = new Int32Array(memory.control);
  control[0] = control[1] = 2 ** 31 - 3;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5; i++) t.true(writer.put(round * 10 + i, { q: String(i) }));
    for (let i = 0; i < 5; i++) t.is(reader.take(holding, 0)?.id, round * 10 + i);
  }
  t.is(reader.take(holding, 0), undefined);
});

test('threads taking from one ring at once take every query exactly once', async (t) => {
  const memory = queryRingMemory();
  const writer = new QueryRingWriter<{ n: number }>(memory);
  const ring = new URL('../../src/search/query-ring.js', import.meta.url).href;
  // Each thread takes until it takes a query with id -1, then sends the ids it took.
  const code = `
    const { workerData, parentPort } = await import('node:worker_threads');
    const { QueryRingReader } = await import(${JSON.stringify(ring)});
    const reader = new QueryRingReader(workerData.memory);
    const holding = new Int32Array(workerData.holding);
    // A pending Atomics.waitAsync does not keep a thread alive; a listened-to port does.
    parentPort.on('message', () => {});
    const took = [];
    for (;;) {
      const next = reader.take(holding, workerData.cell);
      if (next === undefined) await reader.arrival();
      else if (next.id === -1) break;
      else if (next.query.n !== next.id) throw new Error('query ' + next.id + ' came with the body of ' + next.query.n);
      else took.push(next.id);
    }
    parentPort.postMessage(took);
    parentPort.close();`;
  const count = 3;
  const holding = new SharedArrayBuffer(4 * count);
  const threads = Array.from({ length: count }, (_, cell) => new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: { memory, holding, cell } }));
  t.teardown(() => Promise.all(threads.map((w) => w.terminate())));
  let failed: Error | undefined;
  const results = threads.map((w) => new Promise<number[]>((resolve, reject) => (w.once('message', resolve), w.once('error', (e) => reject((failed = e))))));
  const total = 20_000;
  const ids = [...Array.from({ length: total }, (_, i) => i), ...Array.from({ length: count }, () => -1)];
  for (let i = 0; i < ids.length && failed === undefined; ) {
    if (writer.put(ids[i]!, { n: ids[i]! })) i++;
    else await new Promise((resolve) => setImmediate(resolve));
  }
  const took = (await Promise.all(results)).flat().sort((a, b) => a - b);
  t.is(took.length, total);
  t.deepEqual(took, Array.from({ length: total }, (_, i) => i));
});
