/**
 * Nearest neighbours above a threshold among normalised vectors, as blocked matrix products: the
 * rows are cut into tiles of `tile` vectors, and each pair of tiles is multiplied as A_I · B_Jᵀ by
 * the WebAssembly SIMD tile product (./tile-product.ts) into its own result buffer, which is then
 * scanned for scores above the threshold. Memory is the input matrices plus one tile product per
 * dimension and tile size, whatever the size of the set; nothing is allocated per pair compared or
 * found. A visitor must not call these kernels itself (it would overwrite the tile being scanned).
 *
 * Every dot product is summed in the same order (k = 0 … d−1, in double precision, from the
 * float32 values) whichever kernel or tile position computes it, so a pair gets the same score
 * bit for bit in {@link forEachSimilarPair} and {@link forEachSimilarCrossPair}.
 */
import { tileProduct } from './tile-product.js';

export interface SimilarPairVisitor {
  /** Called once per pair of rows whose cosine exceeds the threshold. */
  (i: number, j: number, score: number): void;
}

export interface BlockedOptions {
  /** Rows per tile (default 256: two tiles of 384-d float32 vectors stay within a typical L2). */
  readonly tile?: number;
}

/**
 * Visits every unordered pair of rows `i < j` of `matrix` (row-major, `count × dimensions`, rows
 * normalised) whose dot product is greater than `threshold`.
 */
export function forEachSimilarPair(matrix: Float32Array, count: number, dimensions: number, threshold: number, visit: SimilarPairVisitor, options: BlockedOptions = {}): void {
  checkShape(matrix, count, dimensions);
  const tile = tileOf(options);
  const product = tileProduct(dimensions, tile);
  const { block, stride } = product;
  for (let i0 = 0; i0 < count; i0 += tile) {
    const iEnd = Math.min(i0 + tile, count);
    for (let j0 = i0; j0 < count; j0 += tile) {
      const jEnd = Math.min(j0 + tile, count);
      product.multiply(matrix, matrix, i0, iEnd, j0, jEnd);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * stride - j0;
        // On the diagonal tile only pairs above the diagonal count.
        for (let j = j0 === i0 ? i + 1 : j0; j < jEnd; j++) {
          const score = block[rowOffset + j]!;
          if (score > threshold) visit(i, j, score);
        }
      }
    }
  }
}

/**
 * Visits every pair (row `i` of `left`, row `j` of `right`) whose dot product is greater than
 * `threshold`: the rectangular counterpart of {@link forEachSimilarPair}, for two disjoint sets.
 */
export function forEachSimilarCrossPair(
  left: Float32Array,
  leftCount: number,
  right: Float32Array,
  rightCount: number,
  dimensions: number,
  threshold: number,
  visit: SimilarPairVisitor,
  options: BlockedOptions = {},
): void {
  checkShape(left, leftCount, dimensions);
  checkShape(right, rightCount, dimensions);
  const tile = tileOf(options);
  const product = tileProduct(dimensions, tile);
  const { block, stride } = product;
  for (let i0 = 0; i0 < leftCount; i0 += tile) {
    const iEnd = Math.min(i0 + tile, leftCount);
    for (let j0 = 0; j0 < rightCount; j0 += tile) {
      const jEnd = Math.min(j0 + tile, rightCount);
      product.multiply(left, right, i0, iEnd, j0, jEnd);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * stride - j0;
        for (let j = j0; j < jEnd; j++) {
          const score = block[rowOffset + j]!;
          if (score > threshold) visit(i, j, score);
        }
      }
    }
  }
}

export interface RowMaxima {
  /** Per row of `left`, its best dot product with a row of `right`. */
  readonly left: Float64Array;
  /** Which row of `right` gave it (the first, on a tie). */
  readonly leftArg: Int32Array;
  readonly right: Float64Array;
  readonly rightArg: Int32Array;
}

/**
 * For every row of `left` its best dot product with any row of `right` and which row gave it, and
 * the same for every row of `right` (the two sides of a set-to-set similarity), through the same
 * tiles as {@link forEachSimilarCrossPair}.
 */
export function crossRowMaxima(left: Float32Array, leftCount: number, right: Float32Array, rightCount: number, dimensions: number, options: BlockedOptions = {}): RowMaxima {
  checkShape(left, leftCount, dimensions);
  checkShape(right, rightCount, dimensions);
  const tile = tileOf(options);
  const product = tileProduct(dimensions, tile);
  const { block, stride } = product;
  const leftMax = new Float64Array(leftCount).fill(-Infinity);
  const rightMax = new Float64Array(rightCount).fill(-Infinity);
  const leftArg = new Int32Array(leftCount).fill(-1);
  const rightArg = new Int32Array(rightCount).fill(-1);
  for (let i0 = 0; i0 < leftCount; i0 += tile) {
    const iEnd = Math.min(i0 + tile, leftCount);
    for (let j0 = 0; j0 < rightCount; j0 += tile) {
      const jEnd = Math.min(j0 + tile, rightCount);
      product.multiply(left, right, i0, iEnd, j0, jEnd);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * stride - j0;
        for (let j = j0; j < jEnd; j++) {
          const score = block[rowOffset + j]!;
          if (score > leftMax[i]!) {
            leftMax[i] = score;
            leftArg[i] = j;
          }
          if (score > rightMax[j]!) {
            rightMax[j] = score;
            rightArg[j] = i;
          }
        }
      }
    }
  }
  return { left: leftMax, leftArg, right: rightMax, rightArg };
}

function checkShape(matrix: Float32Array, count: number, dimensions: number): void {
  if (matrix.length < count * dimensions) throw new Error(`matrix has ${matrix.length} values, expected ${count} × ${dimensions}`);
}

function tileOf(options: BlockedOptions): number {
  return Math.max(1, Math.floor(options.tile ?? 256));
}
