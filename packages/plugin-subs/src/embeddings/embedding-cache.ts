/**
 * Embeddings through the database cache: each distinct text is embedded once per model and kept
 * in `embeddings` keyed by (model id, SHA-256 of the text). A run looks its texts up in chunks,
 * embeds only the missing ones in batches (one progress line), and stores each batch as it goes,
 * so an interrupted run keeps what it did.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { textArray, type Embedder, type ProgressReporter } from '@trolley/core';
import { shortestFirst } from './text-order.js';
import { bytesToVector, vectorToBytes } from './vectors.js';

export interface EmbedOptions {
  readonly progress?: ProgressReporter;
  /** Texts per call to the embedder (default 64). */
  readonly batch?: number;
}

export interface CachedEmbeddings {
  /** One normalised vector per distinct text asked for. */
  readonly vectors: ReadonlyMap<string, Float32Array>;
  /** Distinct texts asked for. */
  readonly texts: number;
  /** How many of them were already cached. */
  readonly cached: number;
  /** How many were embedded (and stored) by this call. */
  readonly embedded: number;
}

const LOOKUP_CHUNK = 2_000;

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function embedWithCache(knex: Knex, embedder: Embedder, texts: Iterable<string>, options: EmbedOptions = {}): Promise<CachedEmbeddings> {
  const byHash = new Map<string, string>();
  for (const text of texts) byHash.set(textHash(text), text);
  const vectors = new Map<string, Float32Array>();
  const hashes = [...byHash.keys()];
  for (let start = 0; start < hashes.length; start += LOOKUP_CHUNK) {
    const chunk = hashes.slice(start, start + LOOKUP_CHUNK);
    // The vector travels as base64 text: PGlite decodes a bytea column in JavaScript, which took
    // 6 s of CPU for the benchmark's 30,694 vectors against 0.8 s for encode(…, 'base64').
    const rows: Array<{ text_hash: string; dimensions: number; vector: string }> = await knex('embeddings')
      .select('text_hash', 'dimensions', knex.raw(`encode(vector, 'base64') as vector`))
      .where('model_id', embedder.modelId)
      .whereRaw('text_hash = any(?::text[])', [textArray(chunk)]);
    for (const row of rows) {
      if (Number(row.dimensions) !== embedder.dimensions) continue; // a changed model under the same id: embed again
      vectors.set(byHash.get(row.text_hash)!, bytesToVector(Buffer.from(row.vector, 'base64')));
    }
  }
  const cached = vectors.size;
  // Shortest first, so each batch handed to the embedder pads its texts to about one length.
  const pending = [...byHash.values()].filter((text) => !vectors.has(text));
  const missing = shortestFirst(pending).map((i) => pending[i]!);
  if (missing.length > 0) {
    const batch = Math.max(1, options.batch ?? 64);
    const task = options.progress?.start(`embedding ${missing.length.toLocaleString('en-AU')} new text(s) with ${embedder.id}`, missing.length);
    try {
      for (let start = 0; start < missing.length; start += batch) {
        const slice = missing.slice(start, start + batch);
        const embedded = await embedder.embed(slice);
        if (embedded.length !== slice.length) throw new Error(`embedder ${embedder.id} returned ${embedded.length} vectors for ${slice.length} texts`);
        const rows = slice.map((text, i) => {
          const vector = embedded[i]!;
          if (vector.length !== embedder.dimensions) throw new Error(`embedder ${embedder.id} returned a ${vector.length}-d vector; it declares ${embedder.dimensions}`);
          vectors.set(text, vector);
          return { model_id: embedder.modelId, text_hash: textHash(text), dimensions: vector.length, vector: vectorToBytes(vector) };
        });
        await knex('embeddings').insert(rows).onConflict(['model_id', 'text_hash']).merge(['dimensions', 'vector']);
        task?.tick(slice.length);
      }
    } finally {
      task?.done();
    }
  }
  return { vectors, texts: byHash.size, cached, embedded: missing.length };
}
