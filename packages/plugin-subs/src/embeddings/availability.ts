import type { Embedder } from '@trolley/core';

export interface Availability {
  readonly available: boolean;
  /** One clause saying why, for the `--embedder auto` log line. */
  readonly reason: string;
}

/** An embedder that can say, without loading its model, whether it can run here. */
export interface CheckedEmbedder extends Embedder {
  availability(): Availability;
}

export function isChecked(embedder: Embedder): embedder is CheckedEmbedder {
  return typeof (embedder as Partial<CheckedEmbedder>).availability === 'function';
}
