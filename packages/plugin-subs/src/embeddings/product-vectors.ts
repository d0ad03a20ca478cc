/**
 * The name vectors of a catalogue, one per product in catalogue order, through the embedding
 * cache. Memoised per catalogue array and model, so LVL3 and LVL4 of one `subs generate` read the
 * cache once.
 */
import type { CatalogueProduct, Embedder } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { embedWithCache } from './embedding-cache.js';

const memo = new WeakMap<readonly CatalogueProduct[], Map<string, Promise<Float32Array[]>>>();

/** The text a product is embedded by: its name. */
export const productText = (product: CatalogueProduct): string => product.name;

export function productVectors(services: KernelServices, embedder: Embedder, catalogue: readonly CatalogueProduct[]): Promise<Float32Array[]> {
  let byModel = memo.get(catalogue);
  if (!byModel) memo.set(catalogue, (byModel = new Map()));
  let vectors = byModel.get(embedder.modelId);
  if (!vectors) {
    vectors = (async () => {
      const { vectors: byText, cached, embedded } = await embedWithCache(await services.knex(), embedder, catalogue.map(productText), { progress: services.progress });
      services.logger.info({ embedder: embedder.id, cached, embedded }, `product names: ${cached.toLocaleString('en-AU')} cached, ${embedded.toLocaleString('en-AU')} embedded with ${embedder.id}`);
      return catalogue.map((p) => byText.get(productText(p))!);
    })();
    byModel.set(embedder.modelId, vectors);
    vectors.catch(() => byModel.delete(embedder.modelId));
  }
  return vectors;
}
