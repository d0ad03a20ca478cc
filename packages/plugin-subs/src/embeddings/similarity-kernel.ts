/**
 * Nearest neighbours above a threshold among normalised vectors, as blocked matrix products: the
 * rows are cut into tiles of `tile` vectors, and each pair of tiles is multiplied as A_I · B_Jᵀ
 * with a 4×2 register-blocked dot-product kernel into one reused `tile × tile` buffer, which is
 * then scanned for scores above the threshold. Memory is the input matrices plus one tile buffer,
 * whatever the size of the set; nothing is allocated per pair compared or found.
 *
 * Every dot product is summed in the same order (k = 0 … d−1, in double precision, from the
 * float32 values) whichever kernel or tile position computes it, so a pair gets the same score
 * bit for bit in {@link forEachSimilarPair} and {@link forEachSimilarCrossPair}.
 */

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
  const block = takeBlock(tile);
  for (let i0 = 0; i0 < count; i0 += tile) {
    const iEnd = Math.min(i0 + tile, count);
    for (let j0 = i0; j0 < count; j0 += tile) {
      const jEnd = Math.min(j0 + tile, count);
      multiplyTile(matrix, matrix, dimensions, i0, iEnd, j0, jEnd, block, tile);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * tile - j0;
        // On the diagonal tile only pairs above the diagonal count.
        for (let j = j0 === i0 ? i + 1 : j0; j < jEnd; j++) {
          const score = block[rowOffset + j]!;
          if (score > threshold) visit(i, j, score);
        }
      }
    }
  }
  giveBack(block);
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
  const block = takeBlock(tile);
  for (let i0 = 0; i0 < leftCount; i0 += tile) {
    const iEnd = Math.min(i0 + tile, leftCount);
    for (let j0 = 0; j0 < rightCount; j0 += tile) {
      const jEnd = Math.min(j0 + tile, rightCount);
      multiplyTile(left, right, dimensions, i0, iEnd, j0, jEnd, block, tile);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * tile - j0;
        for (let j = j0; j < jEnd; j++) {
          const score = block[rowOffset + j]!;
          if (score > threshold) visit(i, j, score);
        }
      }
    }
  }
  giveBack(block);
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
  const block = takeBlock(tile);
  const leftMax = new Float64Array(leftCount).fill(-Infinity);
  const rightMax = new Float64Array(rightCount).fill(-Infinity);
  const leftArg = new Int32Array(leftCount).fill(-1);
  const rightArg = new Int32Array(rightCount).fill(-1);
  for (let i0 = 0; i0 < leftCount; i0 += tile) {
    const iEnd = Math.min(i0 + tile, leftCount);
    for (let j0 = 0; j0 < rightCount; j0 += tile) {
      const jEnd = Math.min(j0 + tile, rightCount);
      multiplyTile(left, right, dimensions, i0, iEnd, j0, jEnd, block, tile);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * tile - j0;
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
  giveBack(block);
  return { left: leftMax, leftArg, right: rightMax, rightArg };
}

function checkShape(matrix: Float32Array, count: number, dimensions: number): void {
  if (matrix.length < count * dimensions) throw new Error(`matrix has ${matrix.length} values, expected ${count} × ${dimensions}`);
}

/**
 * One tile buffer kept between calls: LVL4 calls the kernels for thousands of pairs of small
 * category classes, and a fresh 256 × 256 buffer per call was most of the garbage of a warm run.
 * A call made while the kept buffer is in use (from a visitor) gets a buffer of its own.
 */
let kept: Float32Array | undefined;

function takeBlock(tile: number): Float32Array {
  const size = tile * tile;
  const block = kept !== undefined && kept.length >= size ? kept : new Float32Array(size);
  if (block === kept) kept = undefined;
  return block;
}

function giveBack(block: Float32Array): void {
  if (kept === undefined || block.length > kept.length) kept = block;
}

function tileOf(options: BlockedOptions): number {
  return Math.max(1, Math.floor(options.tile ?? 256));
}

/**
 * block[(i - i0) * stride + (j - j0)] = row i of `a` · row j of `b` for i in [i0, iEnd), j in
 * [j0, jEnd). Four rows of `a` against two rows of `b` at a time: eight sums in registers, six
 * loads per step of k (4×1 was 1.6× slower in CPU time on the benchmark's categories; 3×3, 4×3,
 * 2×4 and 4×4 were no better than 4×2).
 */
function multiplyTile(a: Float32Array, b: Float32Array, d: number, i0: number, iEnd: number, j0: number, jEnd: number, block: Float32Array, stride: number): void {
  let i = i0;
  for (; i + 3 < iEnd; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    const out = (i - i0) * stride - j0;
    let j = j0;
    for (; j + 1 < jEnd; j += 2) {
      const b0 = j * d;
      const b1 = b0 + d;
      let s00 = 0;
      let s10 = 0;
      let s20 = 0;
      let s30 = 0;
      let s01 = 0;
      let s11 = 0;
      let s21 = 0;
      let s31 = 0;
      for (let k = 0; k < d; k++) {
        const v = b[b0 + k]!;
        const w = b[b1 + k]!;
        const x0 = a[a0 + k]!;
        const x1 = a[a1 + k]!;
        const x2 = a[a2 + k]!;
        const x3 = a[a3 + k]!;
        s00 += x0 * v;
        s10 += x1 * v;
        s20 += x2 * v;
        s30 += x3 * v;
        s01 += x0 * w;
        s11 += x1 * w;
        s21 += x2 * w;
        s31 += x3 * w;
      }
      block[out + j] = s00;
      block[out + stride + j] = s10;
      block[out + 2 * stride + j] = s20;
      block[out + 3 * stride + j] = s30;
      block[out + j + 1] = s01;
      block[out + stride + j + 1] = s11;
      block[out + 2 * stride + j + 1] = s21;
      block[out + 3 * stride + j + 1] = s31;
    }
    for (; j < jEnd; j++) {
      const b0 = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const v = b[b0 + k]!;
        s0 += a[a0 + k]! * v;
        s1 += a[a1 + k]! * v;
        s2 += a[a2 + k]! * v;
        s3 += a[a3 + k]! * v;
      }
      block[out + j] = s0;
      block[out + stride + j] = s1;
      block[out + 2 * stride + j] = s2;
      block[out + 3 * stride + j] = s3;
    }
  }
  for (; i < iEnd; i++) {
    const a0 = i * d;
    const out = (i - i0) * stride - j0;
    for (let j = j0; j < jEnd; j++) {
      const b0 = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += a[a0 + k]! * b[b0 + k]!;
      block[out + j] = s;
    }
  }
}
