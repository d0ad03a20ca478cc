/**
 * Product pairs above an embedder's threshold within one group of products (a leaf category for
 * LVL3, a super-group for LVL4), through the tiled kernel. The group comes split into category
 * classes (./category-classes.ts); each class's vectors are packed into one matrix, and the
 * generator says which pairs of classes to compare: a class with itself through the one-set
 * kernel, two classes through the cross kernel.
 */
import { forEachSimilarCrossPair, forEachSimilarPair } from '../embeddings/similarity-kernel.js';
import { packRows } from '../embeddings/vectors.js';
import type { CategoryClass } from './category-classes.js';

export interface GroupNeighbourOptions {
  readonly dimensions: number;
  readonly threshold: number;
  /** Rows per tile of the blocked product. */
  readonly tile?: number;
}

/**
 * Visits (catalogue index x, catalogue index y, cosine) for every pair above the threshold of
 * products of two classes `p`, `q` (possibly the same) for which `compare(p, q)` holds; each
 * unordered pair of classes is offered once.
 */
export function forEachNeighbourInClasses(
  classes: readonly CategoryClass[],
  vectors: readonly Float32Array[],
  options: GroupNeighbourOptions,
  compare: (p: CategoryClass, q: CategoryClass) => boolean,
  visit: (x: number, y: number, score: number) => void,
): void {
  const { dimensions, threshold, tile } = options;
  const matrices = new Map<CategoryClass, Float32Array>();
  const matrixOf = (c: CategoryClass) => {
    let matrix = matrices.get(c);
    if (!matrix) matrices.set(c, (matrix = packRows(c.members.map((m) => vectors[m]!), dimensions)));
    return matrix;
  };
  for (let pi = 0; pi < classes.length; pi++) {
    const p = classes[pi]!;
    for (let qi = pi; qi < classes.length; qi++) {
      const q = classes[qi]!;
      if (!compare(p, q)) continue;
      if (p === q) {
        if (p.members.length > 1) forEachSimilarPair(matrixOf(p), p.members.length, dimensions, threshold, (i, j, score) => visit(p.members[i]!, p.members[j]!, score), { tile });
      } else {
        forEachSimilarCrossPair(matrixOf(p), p.members.length, matrixOf(q), q.members.length, dimensions, threshold, (i, j, score) => visit(p.members[i]!, q.members[j]!, score), { tile });
      }
    }
  }
}
