/**
 * A tiny stand-in for all-MiniLM-L6-v2, written as ONNX protobuf by hand: the same inputs
 * (`input_ids`, `attention_mask`, `token_type_ids`, int64 [batch, seq]) and output
 * (`last_hidden_state`, float [batch, seq, 384]), computed as
 *   Gather(E, input_ids) · P + Gather(T, token_type_ids)
 * with E a vocab × 8 token table, P an 8 × 384 projection and T a 2 × 384 type table, all filled
 * from a seeded generator. The attention mask is a declared input the graph does not use, so padded
 * positions carry non-zero vectors and only pooling over the mask can ignore them.
 */
import { seededRandom } from '@trolley/core/testing';
import { ProtoWriter } from './protobuf-writer.js';

export const TINY_HIDDEN = 8;
export const OUTPUT_DIMENSIONS = 384;
const FLOAT = 1;
const INT64 = 7;

export interface TinyModel {
  readonly bytes: Uint8Array;
  /** Row `t` of the effective per-token output (E·P) plus the type-0 row of T: what token t contributes. */
  tokenVector(tokenId: number): Float32Array;
}


function filled(length: number, next: () => number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = next() * 2 - 1;
  return values;
}

export function tinyMiniLm(vocabSize: number, seed = 7): TinyModel {
  const next = seededRandom(seed);
  const E = filled(vocabSize * TINY_HIDDEN, next);
  const P = filled(TINY_HIDDEN * OUTPUT_DIMENSIONS, next);
  const T = filled(2 * OUTPUT_DIMENSIONS, next);

  const tensor = (w: ProtoWriter, name: string, dims: number[], values: Float32Array) => {
    for (const d of dims) w.int(1, d);
    w.int(2, FLOAT);
    w.string(8, name);
    w.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  };
  const valueInfo = (w: ProtoWriter, name: string, elemType: number, dims: Array<string | number>) => {
    w.string(1, name);
    w.message(2, (type) =>
      type.message(1, (t) => {
        t.int(1, elemType);
        t.message(2, (shape) => {
          for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        });
      }),
    );
  };
  const node = (w: ProtoWriter, op: string, inputs: string[], outputs: string[], name: string) => {
    for (const i of inputs) w.string(1, i);
    for (const o of outputs) w.string(2, o);
    w.string(3, name);
    w.string(4, op);
  };

  const model = new ProtoWriter()
    .int(1, 8) // ir_version
    .string(2, 'trolley-tests')
    .message(8, (o) => o.string(1, '').int(2, 17))
    .message(7, (g) => {
      g.message(1, (n) => node(n, 'Gather', ['E', 'input_ids'], ['tokens'], 'gather_tokens'));
      g.message(1, (n) => node(n, 'MatMul', ['tokens', 'P'], ['projected'], 'project'));
      g.message(1, (n) => node(n, 'Gather', ['T', 'token_type_ids'], ['types'], 'gather_types'));
      g.message(1, (n) => node(n, 'Add', ['projected', 'types'], ['last_hidden_state'], 'add_types'));
      g.string(2, 'tiny-minilm');
      g.message(5, (t) => tensor(t, 'E', [vocabSize, TINY_HIDDEN], E));
      g.message(5, (t) => tensor(t, 'P', [TINY_HIDDEN, OUTPUT_DIMENSIONS], P));
      g.message(5, (t) => tensor(t, 'T', [2, OUTPUT_DIMENSIONS], T));
      for (const input of ['input_ids', 'attention_mask', 'token_type_ids']) g.message(11, (v) => valueInfo(v, input, INT64, ['batch_size', 'sequence_length']));
      g.message(12, (v) => valueInfo(v, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', OUTPUT_DIMENSIONS]));
    })
    .finish();

  return {
    bytes: model,
    tokenVector(tokenId) {
      const out = new Float32Array(OUTPUT_DIMENSIONS);
      for (let o = 0; o < OUTPUT_DIMENSIONS; o++) {
        let s = 0;
        for (let h = 0; h < TINY_HIDDEN; h++) s += E[tokenId * TINY_HIDDEN + h]! * P[h * OUTPUT_DIMENSIONS + o]!;
        out[o] = s + T[o]!;
      }
      return out;
    },
  };
}
