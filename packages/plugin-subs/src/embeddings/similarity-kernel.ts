/**
 * Nearest neighbours above a threshold within one set of normalised vectors, as blocked matrix
 * products: the rows are cut into tiles of `tile` vectors, and each pair of tiles (I, J ≥ I) is
 * multiplied as A_I · A_Jᵀ with a 4×1 register-blocked dot-product kernel into one reused
 * `tile × tile` buffer, which is then scanned for scores above the threshold. Memory is the input
 * matrix plus one tile buffer, whatever the size of the set; no object is created per pair
 * compared, only per pair found.
 */

export interface SimilarPairVisitor {
  /** Called once per unordered pair of rows `i < j` whose cosine exceeds the threshold. */
  (i: number, j: number, score: number): void;
}

export interface BlockedOptions {
  /** Rows per tile (default 256: two tiles of 384-d float32 vectors stay within a typical L2). */
  readonly tile?: number;
}

/**
 * Visits every pair of rows of `matrix` (row-major, `count × dimensions`, rows normalised) whose
 * dot product is greater than `threshold`.
 */
export function forEachSimilarPair(matrix: Float32Array, count: number, dimensions: number, threshold: number, visit: SimilarPairVisitor, options: BlockedOptions = {}): void {
  if (matrix.length < count * dimensions) throw new Error(`matrix has ${matrix.length} values, expected ${count} × ${dimensions}`);
  const tile = Math.max(1, Math.floor(options.tile ?? 256));
  const block = new Float32Array(tile * tile);
  for (let i0 = 0; i0 < count; i0 += tile) {
    const iEnd = Math.min(i0 + tile, count);
    for (let j0 = i0; j0 < count; j0 += tile) {
      const jEnd = Math.min(j0 + tile, count);
      multiplyTile(matrix, dimensions, i0, iEnd, j0, jEnd, block, tile);
      for (let i = i0; i < iEnd; i++) {
        const rowOffset = (i - i0) * tile;
        // On the diagonal tile only pairs above the diagonal count.
        for (let j = j0 === i0 ? i + 1 : j0; j < jEnd; j++) {
          const score = block[rowOffset + (j - j0)]!;
          if (score > threshold) visit(i, j, score);
        }
      }
    }
  }
}

/** block[(i - i0) * stride + (j - j0)] = row i · row j for i in [i0, iEnd), j in [j0, jEnd). */
function multiplyTile(m: Float32Array, d: number, i0: number, iEnd: number, j0: number, jEnd: number, block: Float32Array, stride: number): void {
  let i = i0;
  // Four rows of the I tile against one row of the J tile: each J row is read once per four I rows.
  for (; i + 3 < iEnd; i += 4) {
    const a0 = i * d;
    const a1 = a0 + d;
    const a2 = a1 + d;
    const a3 = a2 + d;
    const out = (i - i0) * stride - j0;
    for (let j = j0; j < jEnd; j++) {
      const b = j * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const v = m[b + k]!;
        s0 += m[a0 + k]! * v;
        s1 += m[a1 + k]! * v;
        s2 += m[a2 + k]! * v;
        s3 += m[a3 + k]! * v;
      }
      block[out + j] = s0;
      block[out + stride + j] = s1;
      block[out + 2 * stride + j] = s2;
      block[out + 3 * stride + j] = s3;
    }
  }
  for (; i < iEnd; i++) {
    const a = i * d;
    const out = (i - i0) * stride - j0;
    for (let j = j0; j < jEnd; j++) {
      const b = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += m[a + k]! * m[b + k]!;
      block[out + j] = s;
    }
  }
}
