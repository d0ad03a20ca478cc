import test from 'ava';
import fc from 'fast-check';
import { bestSingleStore, solveSplit, type SplitInstance } from '../../src/basket/split-model.js';

/** Every subset of at most k stores, each item at its best option there: the optimum by enumeration. */
function bruteForce(instance: SplitInstance): { unserved: number; swaps: number; costCents: number } {
  const n = instance.storeIds.length;
  let best = { unserved: Infinity, swaps: Infinity, costCents: Infinity };
  for (let mask = 1; mask < 1 << n; mask++) {
    const chosen = instance.storeIds.filter((_, s) => mask & (1 << s));
    if (chosen.length > instance.maxStores) continue;
    let unserved = 0;
    let swaps = 0;
    let costCents = 0;
    for (const options of instance.items) {
      const here = options.filter((o) => chosen.includes(o.storeId));
      const own = here.filter((o) => !o.swap);
      const pool = own.length > 0 ? own : here;
      if (pool.length === 0) unserved++;
      else {
        if (own.length === 0) swaps++;
        costCents += Math.min(...pool.map((o) => o.costCents));
      }
    }
    const better = unserved < best.unserved || (unserved === best.unserved && (swaps < best.swaps || (swaps === best.swaps && costCents < best.costCents)));
    if (better) best = { unserved, swaps, costCents };
  }
  return best;
}

const instances = fc
  .record({ stores: fc.integer({ min: 1, max: 6 }), items: fc.integer({ min: 1, max: 12 }), maxStores: fc.integer({ min: 1, max: 3 }) })
  .chain(({ stores, items, maxStores }) =>
    fc
      .array(
        fc.array(fc.record({ present: fc.integer({ min: 0, max: 9 }), cost: fc.integer({ min: 1, max: 5_000 }), swap: fc.integer({ min: 0, max: 5 }) }), { minLength: stores, maxLength: stores }),
        { minLength: items, maxLength: items },
      )
      .map(
        (grid): SplitInstance => ({
          storeIds: Array.from({ length: stores }, (_, s) => 10 + s * 7),
          maxStores,
          // About 1 in 5 (item, store) pairs has no option; about 1 in 6 options is a swap.
          items: grid.map((row) => row.flatMap((cell, s) => (cell.present < 2 ? [] : [{ storeId: 10 + s * 7, costCents: cell.cost, swap: cell.swap === 0 }]))),
        }),
      ),
  );

test('the solver finds the brute-force optimum on random instances (≤ 12 items, ≤ 6 stores, k ≤ 3)', async (t) => {
  await fc.assert(
    fc.asyncProperty(instances, async (instance) => {
      const solved = await solveSplit(instance);
      const expected = bruteForce(instance);
      t.true(solved.stores.length <= instance.maxStores);
      return solved.unserved === expected.unserved && solved.swaps === expected.swaps && solved.costCents === expected.costCents;
    }),
    { numRuns: 150, seed: 1616 },
  );
  t.pass();
});

test('max_stores 1 is the cheapest single store', async (t) => {
  await fc.assert(
    fc.asyncProperty(instances, async (instance) => {
      const one = await solveSplit({ ...instance, maxStores: 1 });
      const single = bestSingleStore(instance)!;
      return one.stores.length <= 1 && one.unserved === single.unserved && one.swaps === single.swaps && one.costCents === single.costCents;
    }),
    { numRuns: 100, seed: 61 },
  );
  t.pass();
});

test('an item no store sells stays in the answer as unserved', async (t) => {
  const solved = await solveSplit({ storeIds: [1, 2], maxStores: 2, items: [[{ storeId: 1, costCents: 300, swap: false }], [], [{ storeId: 2, costCents: 100, swap: false }, { storeId: 1, costCents: 150, swap: false }]] });
  t.deepEqual(solved.choice, [0, -1, 0]);
  t.is(solved.unserved, 1);
  t.is(solved.costCents, 400);
  t.deepEqual(solved.stores, [1, 2]);
  const one = await solveSplit({ storeIds: [1, 2], maxStores: 1, items: [[{ storeId: 1, costCents: 300, swap: false }], [], [{ storeId: 2, costCents: 100, swap: false }, { storeId: 1, costCents: 150, swap: false }]] });
  t.deepEqual(one.choice, [0, -1, 1], 'one store: store 1 serves two items, store 2 one');
  t.is(one.costCents, 450);
});
