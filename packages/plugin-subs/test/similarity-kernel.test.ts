import test from 'ava';
import { crossRowMaxima, forEachSimilarCrossPair, forEachSimilarPair } from '../src/embeddings/similarity-kernel.js';
import { normaliseInPlace } from '../src/embeddings/vectors.js';
import { tileProduct } from '../src/embeddings/tile-product.js';

function randomMatrix(count: number, dimensions: number, seed: number): Float32Array {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  const m = new Float32Array(count * dimensions);
  // Clusters so that some pairs are near: every row is one of 5 centres plus noise.
  const centres = Array.from({ length: 5 }, () => Array.from({ length: dimensions }, next));
  for (let i = 0; i < count; i++) {
    const row = m.subarray(i * dimensions, (i + 1) * dimensions);
    for (let k = 0; k < dimensions; k++) row[k] = centres[i % 5]![k]! + 0.6 * next();
    normaliseInPlace(row);
  }
  return m;
}

function bruteForce(m: Float32Array, n: number, d: number, threshold: number): string[] {
  const found: string[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += m[i * d + k]! * m[j * d + k]!;
      if (s > threshold) found.push(`${i},${j}`);
    }
  return found.sort();
}

test('the tiled kernel finds exactly the pairs of the all-pairs loop, for tiles smaller, equal and larger than the set, and odd row counts', (t) => {
  for (const [n, d] of [[103, 24], [64, 7], [1, 8], [0, 8]] as const) {
    const m = randomMatrix(n, d, n * 31 + d);
    const expected = bruteForce(m, n, d, 0.7);
    if (n > 50) t.true(expected.length > 100, `${expected.length} pairs above 0.7`);
    for (const tile of [1, 5, 16, 64, 256]) {
      const found: string[] = [];
      forEachSimilarPair(m, n, d, 0.7, (i, j, score) => {
        t.true(i < j);
        t.true(score > 0.7);
        found.push(`${i},${j}`);
      }, { tile });
      t.deepEqual(found.sort(), expected, `n=${n} d=${d} tile=${tile}`);
    }
  }
});

test('scores are the dot products of the rows', (t) => {
  const m = new Float32Array([1, 0, 0.6, 0.8, 0, 1]);
  const seen: Array<[number, number, number]> = [];
  forEachSimilarPair(m, 3, 2, -1, (i, j, s) => seen.push([i, j, Math.round(s * 1e6) / 1e6]), { tile: 2 });
  t.deepEqual(seen.sort(), [[0, 1, 0.6], [0, 2, 0], [1, 2, 0.8]]);
});

test('the cross kernel finds exactly the pairs between two sets, with the scores the one-set kernel gives those pairs bit for bit', (t) => {
  for (const [n, split, d] of [[103, 41, 24], [64, 1, 7], [9, 0, 8], [30, 30, 5]] as const) {
    const m = randomMatrix(n, d, n * 17 + d);
    const whole = new Map<string, number>();
    forEachSimilarPair(m, n, d, 0.7, (i, j, score) => whole.set(`${i},${j}`, score));
    const expected = [...whole].filter(([key]) => {
      const [i, j] = key.split(',').map(Number) as [number, number];
      return i < split && j >= split;
    });
    for (const tile of [1, 5, 16, 256]) {
      const found: Array<[string, number]> = [];
      forEachSimilarCrossPair(m.subarray(0, split * d), split, m.subarray(split * d), n - split, d, 0.7, (i, j, score) => found.push([`${i},${j + split}`, score]), { tile });
      t.deepEqual(found.sort(), expected.sort(), `n=${n} split=${split} d=${d} tile=${tile}`);
    }
  }
});

test('crossRowMaxima gives each row its best dot product on the other side and which row gave it (the all-pairs loop), whatever the tile', (t) => {
  const d = 24;
  const left = randomMatrix(37, d, 5);
  const right = randomMatrix(53, d, 9);
  const dot = (a: Float32Array, i: number, b: Float32Array, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
    return Math.fround(s);
  };
  for (const tile of [4, 16, 256]) {
    const { left: lMax, leftArg, right: rMax, rightArg } = crossRowMaxima(left, 37, right, 53, d, { tile });
    for (let i = 0; i < 37; i++) {
      let best = -Infinity;
      let arg = -1;
      for (let j = 0; j < 53; j++) if (dot(left, i, right, j) > best) [best, arg] = [dot(left, i, right, j), j];
      t.is(lMax[i], best);
      t.is(leftArg[i], arg);
    }
    for (let j = 0; j < 53; j++) {
      let best = -Infinity;
      let arg = -1;
      for (let i = 0; i < 37; i++) if (dot(left, i, right, j) > best) [best, arg] = [dot(left, i, right, j), i];
      t.is(rMax[j], best);
      t.is(rightArg[j], arg);
    }
  }
});

test('the WebAssembly tile product gives, bit for bit, the double-precision k = 0 … d−1 sum rounded to float32, for any tile size and ragged tiles', (t) => {
  for (const [d, tile, n, m] of [
    [512, 256, 300, 270],
    [7, 5, 13, 9],
    [384, 16, 3, 1],
    [3, 1, 2, 2],
    [1, 6, 6, 11],
  ] as const) {
    const a = randomMatrix(n, d, 11 + d);
    const b = randomMatrix(m, d, 29 + n);
    const product = tileProduct(d, tile);
    t.true(product.stride >= tile && product.stride % 4 === 0);
    let compared = 0;
    for (let i0 = 0; i0 < n; i0 += tile)
      for (let j0 = 0; j0 < m; j0 += tile) {
        const iEnd = Math.min(n, i0 + tile);
        const jEnd = Math.min(m, j0 + tile);
        product.multiply(a, b, i0, iEnd, j0, jEnd);
        for (let i = i0; i < iEnd; i++)
          for (let j = j0; j < jEnd; j++) {
            let s = 0;
            for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
            const got = product.block[(i - i0) * product.stride + (j - j0)]!;
            if (!Object.is(got, Math.fround(s))) t.fail(`d=${d} tile=${tile} row ${i} × row ${j}: ${got} against ${Math.fround(s)}`);
            compared++;
          }
      }
    t.is(compared, n * m);
  }
  t.throws(() => tileProduct(4, 4).multiply(new Float32Array(40), new Float32Array(40), 0, 10, 0, 1), { message: /exceeds 4/ });
});
