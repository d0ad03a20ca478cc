/**
 * Product pairs above an embedder's threshold within one group of products (a leaf category for
 * LVL3, a super-group for LVL4), through the tiled kernel: the group's vectors are packed into one
 * matrix and multiplied tile by tile.
 */
import { forEachSimilarPair } from '../embeddings/similarity-kernel.js';
import { packRows } from '../embeddings/vectors.js';

export interface GroupNeighbourOptions {
  readonly dimensions: number;
  readonly threshold: number;
  /** Rows per tile of the blocked product. */
  readonly tile?: number;
}

/** Visits (member index i, member index j, cosine) for every pair of `members` above the threshold. */
export function forEachNeighbourInGroup(
  members: readonly number[],
  vectors: readonly Float32Array[],
  options: GroupNeighbourOptions,
  visit: (x: number, y: number, score: number) => void,
): void {
  if (members.length < 2) return;
  const matrix = packRows(members.map((m) => vectors[m]!), options.dimensions);
  forEachSimilarPair(matrix, members.length, options.dimensions, options.threshold, (i, j, score) => visit(members[i]!, members[j]!, score), { tile: options.tile });
}
