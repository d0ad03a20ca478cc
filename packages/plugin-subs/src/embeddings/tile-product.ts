/**
 * The similarity kernel's tile product (./similarity-kernel.ts) in WebAssembly with 128-bit SIMD:
 * block[r · stride + c] = row (i0 + r) of `a` · row (j0 + c) of `b`, for a tile of rows of each.
 *
 * Bit for bit what the plain loop gives: every dot product is summed in the order k = 0 … d−1 in
 * double precision from the float32 values (a product of two float32 values is exact in double
 * precision, and each addition rounds the same way), then rounded to float32 once. The two lanes of
 * a SIMD register hold two *different* dot products (two rows of `a` against one row of `b`), never
 * two parts of one, so no sum is reordered. Per step of k, four rows of `a` (two pairs of rows,
 * interleaved when copied in) meet four rows of `b`: sixteen sums in eight registers.
 *
 * The module is written here as bytes (there is no WebAssembly toolchain in the build) and compiled
 * once per vector dimension, which it takes as a constant so that the rows' offsets are immediates.
 * Its memory holds the tile's rows of `a` (interleaved by pairs), of `b` (as they are), and the
 * float32 results, which the caller reads in place: {@link TileProduct.block}.
 */

// The few WebAssembly globals used here (the build's lib, ES2023, does not declare them).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}

/** Rows of either side are padded up to a multiple of this (with zeros, whose results are not read). */
const BLOCK = 4;
const PAGE = 65_536;

export interface TileProduct {
  /** The results of the last {@link TileProduct.multiply}: row r, column c at r · stride + c. */
  readonly block: Float32Array;
  /** The row length of {@link TileProduct.block}: the tile size rounded up to a multiple of four. */
  readonly stride: number;
  /** Rows i0 … iEnd − 1 of `a` against rows j0 … jEnd − 1 of `b` (row-major, `dimensions` a row), at most `tile` of each. */
  multiply(a: Float32Array, b: Float32Array, i0: number, iEnd: number, j0: number, jEnd: number): void;
}

const products = new Map<string, TileProduct>();

/** The tile product of `dimensions`-d rows, for tiles of up to `tile` rows a side (compiled once per pair of sizes). */
export function tileProduct(dimensions: number, tile: number): TileProduct {
  const key = `${dimensions}:${tile}`;
  let product = products.get(key);
  if (!product) products.set(key, (product = compile(dimensions, tile)));
  return product;
}

function compile(d: number, tile: number): TileProduct {
  const rows = Math.ceil(tile / BLOCK) * BLOCK;
  const aBytes = rows * d * 4;
  const bBytes = rows * d * 4;
  const outBytes = rows * rows * 4;
  const pages = Math.ceil((aBytes + bBytes + outBytes) / PAGE);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(moduleBytes(d, pages))));
  const memory = instance.exports.memory as WebAssembly.Memory;
  const run = instance.exports.tile as (a: number, b: number, out: number, rowsA: number, rowsB: number, stride: number) => void;
  const aView = new Float32Array(memory.buffer, 0, aBytes / 4);
  const bView = new Float32Array(memory.buffer, aBytes, bBytes / 4);
  const block = new Float32Array(memory.buffer, aBytes + bBytes, outBytes / 4);
  return {
    block,
    stride: rows,
    multiply(a, b, i0, iEnd, j0, jEnd) {
      if (iEnd - i0 > rows || jEnd - j0 > rows) throw new Error(`a tile of ${iEnd - i0} × ${jEnd - j0} rows exceeds ${rows}`);
      const rowsA = Math.ceil((iEnd - i0) / BLOCK) * BLOCK;
      const rowsB = Math.ceil((jEnd - j0) / BLOCK) * BLOCK;
      // `a` interleaved by pairs of rows: (row 2p, k) and (row 2p + 1, k) side by side.
      for (let i = i0; i < i0 + rowsA; i++) {
        const pair = ((i - i0) >> 1) * 2 * d;
        const lane = (i - i0) & 1;
        if (i < iEnd) for (let k = 0, from = i * d; k < d; k++) aView[pair + 2 * k + lane] = a[from + k]!;
        else for (let k = 0; k < d; k++) aView[pair + 2 * k + lane] = 0;
      }
      bView.set(b.subarray(j0 * d, jEnd * d));
      bView.fill(0, (jEnd - j0) * d, rowsB * d);
      run(0, aBytes, aBytes + bBytes, rowsA, rowsB, rows);
    },
  };
}

// --- The module's bytes. Opcodes: https://webassembly.github.io/spec/core/binary/instructions.html

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  get: (l: number) => [0x20, ...uleb(l)],
  set: (l: number) => [0x21, ...uleb(l)],
  tee: (l: number) => [0x22, ...uleb(l)],
  i32: (n: number) => [0x41, ...sleb(n)],
  add: [0x6a],
  mul: [0x6c],
  ltU: [0x49],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f32Load: (offset: number) => [0x2a, 2, ...uleb(offset)],
  f32Store: (offset: number) => [0x38, 2, ...uleb(offset)],
  f64PromoteF32: [0xbb],
  f32DemoteF64: [0xb6],
  load64Zero: (offset: number) => [0xfd, ...uleb(93), 3, ...uleb(offset)],
  promoteLow: [0xfd, ...uleb(95)],
  splat: [0xfd, ...uleb(20)],
  lane: (l: number) => [0xfd, ...uleb(33), l],
  fadd: [0xfd, ...uleb(240)],
  fmul: [0xfd, ...uleb(242)],
  zero: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
};

/**
 * `tile(a, b, out, rowsA, rowsB, stride)`: for each block of four rows of `a` (two interleaved
 * pairs at `a`) and four rows of `b` (row-major at `b`), the sixteen dot products, stored as
 * float32 at out + 4 · (row · stride + column). rowsA and rowsB are positive multiples of four.
 */
function moduleBytes(d: number, pages: number): number[] {
  // Parameters 0–5, then locals.
  const [A, B, OUT, ROWS_A, ROWS_B, STRIDE] = [0, 1, 2, 3, 4, 5];
  const [I, J, PA, PB, PB_END, AT, X0, X1, Y] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
  const ACC = 15; // 8 accumulators: ACC + 2·c + pair (pair 0: rows i, i+1; pair 1: rows i+2, i+3), c the row of b.
  const rowA = d * 4; // bytes of one row (of `b`; a pair of rows of `a` takes 2 · rowA)
  const body: number[] = [
    ...op.i32(0), ...op.set(I),
    ...op.loop, // rows of a, four at a time
    ...op.i32(0), ...op.set(J),
    ...op.loop, // rows of b, four at a time
    ...Array.from({ length: 8 }, (_, k) => [...op.zero, ...op.set(ACC + k)]).flat(),
    ...op.get(A), ...op.get(I), ...op.i32(rowA), ...op.mul, ...op.add, ...op.set(PA),
    ...op.get(B), ...op.get(J), ...op.i32(rowA), ...op.mul, ...op.add, ...op.tee(PB), ...op.i32(rowA), ...op.add, ...op.set(PB_END),
    ...op.loop, // k
    ...op.get(PA), ...op.load64Zero(0), ...op.promoteLow, ...op.set(X0),
    ...op.get(PA), ...op.load64Zero(2 * rowA), ...op.promoteLow, ...op.set(X1),
    ...[0, 1, 2, 3].flatMap((c) => [
      ...op.get(PB), ...op.f32Load(c * rowA), ...op.f64PromoteF32, ...op.splat, ...op.set(Y),
      ...op.get(ACC + 2 * c), ...op.get(X0), ...op.get(Y), ...op.fmul, ...op.fadd, ...op.set(ACC + 2 * c),
      ...op.get(ACC + 2 * c + 1), ...op.get(X1), ...op.get(Y), ...op.fmul, ...op.fadd, ...op.set(ACC + 2 * c + 1),
    ]),
    ...op.get(PA), ...op.i32(8), ...op.add, ...op.set(PA),
    ...op.get(PB), ...op.i32(4), ...op.add, ...op.tee(PB), ...op.get(PB_END), ...op.ltU, ...op.brIf(0),
    ...op.end,
    // Store: row i + r, column j + c at out + 4 · ((i + r) · stride + j + c).
    ...op.get(OUT), ...op.get(I), ...op.get(STRIDE), ...op.mul, ...op.get(J), ...op.add, ...op.i32(4), ...op.mul, ...op.add, ...op.set(AT),
    ...[0, 1, 2, 3].flatMap((r) =>
      [0, 1, 2, 3].flatMap((c) => [
        ...op.get(AT), ...op.i32(r), ...op.get(STRIDE), ...op.mul, ...op.i32(4), ...op.mul, ...op.add,
        ...op.get(ACC + 2 * c + (r >> 1)), ...op.lane(r & 1), ...op.f32DemoteF64,
        ...op.f32Store(4 * c),
      ]),
    ),
    ...op.get(J), ...op.i32(4), ...op.add, ...op.tee(J), ...op.get(ROWS_B), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.get(I), ...op.i32(4), ...op.add, ...op.tee(I), ...op.get(ROWS_A), ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
  const locals = vec([[...uleb(6), I32], [...uleb(11), V128]]);
  const code = [...locals, ...body];
  return [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(new Array(6).fill([I32])), 0x00]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('tile'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ];
}
