/**
 * The basket split as a mixed-integer program, solved exactly by HiGHS (WebAssembly).
 *
 * Each item can be bought at a store from its options there (at most one per store: the product
 * itself, or, where the store does not sell it and swaps are allowed, its cheapest near substitute).
 * The solver opens at most k stores and assigns each item to an option at an open store, or leaves it
 * unserved. The objective is lexicographic, folded into one by weights: first serve as many items as
 * possible, then make as few swaps as possible, then pay as little as possible. Costs are whole
 * cents, so with a zero gap the answer is the exact optimum.
 */
export interface SplitOption {
  readonly storeId: number;
  /** Price × quantity in cents. */
  readonly costCents: number;
  /** The option buys a substitute instead of the item. */
  readonly swap: boolean;
}

export interface SplitInstance {
  readonly storeIds: readonly number[];
  /** Per item, its options (at most one per store). */
  readonly items: ReadonlyArray<readonly SplitOption[]>;
  readonly maxStores: number;
}

export interface SplitSolution {
  /** The stores opened, ascending. */
  readonly stores: number[];
  /** Per item, the index of the option chosen in its list, or -1 when unserved. */
  readonly choice: number[];
  readonly costCents: number;
  readonly swaps: number;
  readonly unserved: number;
}

type Highs = { solve(problem: string, options?: Record<string, unknown>): { Status: string; Columns: Record<string, { Primal: number }> } };
let loading: Promise<Highs> | undefined;

let loaded = false;

async function highs(): Promise<Highs> {
  loading ??= import('highs').then(async ({ default: load }) => {
    const solver = (await (load as unknown as () => Promise<Highs>)()) as Highs;
    loaded = true;
    return solver;
  });
  return loading;
}

/** Whether the solver is loaded (a server loads it as it starts, see {@link loadSplitSolver}). */
export function splitSolverLoaded(): boolean {
  return loaded;
}

/**
 * Loads the solver ahead of the first basket (a server does this as it starts: loading and
 * compiling the WebAssembly takes most of a second, which the first shopper would otherwise wait).
 * A load that fails is tried again by the first solve, which reports it.
 */
export async function loadSplitSolver(): Promise<void> {
  try {
    await highs();
  } catch {
    loading = undefined;
  }
}

/** The weights of the folded objective: one unserved item outweighs any swaps and costs, one swap any cost. */
export function objectiveWeights(instance: SplitInstance): { swap: number; unserved: number } {
  const costBound = instance.items.reduce((sum, options) => sum + Math.max(0, ...options.map((o) => o.costCents)), 0) + 1;
  return { swap: costBound, unserved: costBound * (instance.items.length + 1) };
}

/** CPLEX LP text of the instance. */
export function lpText(instance: SplitInstance): string {
  const { swap, unserved } = objectiveWeights(instance);
  const storeIndex = new Map(instance.storeIds.map((s, i) => [s, i]));
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  instance.items.forEach((options, i) => {
    const terms = options.map((o, j) => {
      objective.push(`+ ${o.costCents + (o.swap ? swap : 0)} x${i}_${j}`);
      rows.push(` open${i}_${j}: x${i}_${j} - y${storeIndex.get(o.storeId)} <= 0`);
      bounds.push(` 0 <= x${i}_${j} <= 1`);
      return `x${i}_${j}`;
    });
    objective.push(`+ ${unserved} u${i}`);
    bounds.push(` 0 <= u${i} <= 1`);
    rows.push(` item${i}: ${[...terms, `u${i}`].join(' + ')} = 1`);
  });
  rows.push(` stores: ${instance.storeIds.map((_, s) => `y${s}`).join(' + ')} <= ${instance.maxStores}`);
  return [
    'Minimize',
    ` obj: ${objective.join(' ') || '0 y0'}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...bounds,
    'Binary',
    ` ${instance.storeIds.map((_, s) => `y${s}`).join(' ')}`,
    'End',
  ].join('\n');
}

/** The exact optimum of the instance. */
export async function solveSplit(instance: SplitInstance): Promise<SplitSolution> {
  if (instance.storeIds.length === 0) return evaluate(instance, []);
  const solver = await highs();
  const text = lpText(instance);
  const options = { mip_rel_gap: 0, mip_abs_gap: 0.5, output_flag: false, presolve: 'on' };
  let result;
  try {
    result = solver.solve(text, options);
  } catch {
    // A WebAssembly solver that failed once may be left in a bad state: load a fresh one and retry.
    loading = undefined;
    result = (await highs()).solve(text, options);
  }
  if (result.Status !== 'Optimal') throw new Error(`The basket solver ended with status ${result.Status}.`);
  const open = instance.storeIds.filter((_, s) => (result.Columns[`y${s}`]?.Primal ?? 0) > 0.5);
  return evaluate(instance, open);
}

/**
 * Each item at its best option among the given stores (serve, then avoid swaps, then cheapest;
 * ties to the earlier option), with the totals. This is how the solver's stores become an answer,
 * and how a single store is costed.
 */
export function evaluate(instance: SplitInstance, stores: readonly number[]): SplitSolution {
  const open = new Set(stores);
  const weights = objectiveWeights(instance);
  let costCents = 0;
  let swaps = 0;
  let unserved = 0;
  const choice = instance.items.map((options) => {
    let best = -1;
    let bestValue = Infinity;
    options.forEach((o, j) => {
      const value = o.costCents + (o.swap ? weights.swap : 0);
      if (open.has(o.storeId) && value < bestValue) {
        best = j;
        bestValue = value;
      }
    });
    if (best < 0) unserved++;
    else {
      costCents += options[best]!.costCents;
      if (options[best]!.swap) swaps++;
    }
    return best;
  });
  // Only the stores something is bought at.
  const used = [...new Set(choice.flatMap((j, i) => (j < 0 ? [] : [instance.items[i]![j]!.storeId])))].sort((a, b) => a - b);
  return { stores: used, choice, costCents, swaps, unserved };
}

/** The cheapest single store: most items served, then fewest swaps, then lowest cost (ties to the lower id). */
export function bestSingleStore(instance: SplitInstance): SplitSolution | undefined {
  let best: SplitSolution | undefined;
  let bestStore = 0;
  for (const store of [...instance.storeIds].sort((a, b) => a - b)) {
    const solution = evaluate(instance, [store]);
    if (best === undefined || rank(solution) < rank(best)) {
      best = solution;
      bestStore = store;
    }
  }
  return best && { ...best, stores: best.stores.length > 0 ? best.stores : [bestStore] };

  function rank(s: SplitSolution): number {
    const w = objectiveWeights(instance);
    return s.unserved * w.unserved + s.swaps * w.swap + s.costCents;
  }
}
