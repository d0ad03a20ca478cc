/**
 * The per-run state of a semantic generator's decisions: the product features of the catalogue
 * and the pair model of the embedder, with one scratch vector, so the kernel's visitor costs a few
 * comparisons and one exponential per candidate pair.
 */
import type { CatalogueProduct, Embedder } from '@trolley/core';
import type { Logger } from '@trolley/core';
import { PAIR_FEATURES, pairModel, type PairModel } from '../decision/pair-model.js';
import { catalogueFeatures, type ProductFeatures } from '../decision/product-features.js';

export class PairDecision {
  readonly model: PairModel;
  readonly threshold: number;
  /** Cosine below which no pair of this level can be kept: the kernel's threshold. */
  readonly minCosine: number;
  private readonly features: ProductFeatures;
  /** Per product, the sorted distinct companies of its categories (when the companies are known). */
  private readonly companies: Int32Array[] | undefined;
  private readonly scratch = new Float64Array(PAIR_FEATURES.length);

  constructor(
    readonly level: number,
    catalogue: readonly CatalogueProduct[],
    embedder: Embedder,
    logger?: Logger,
    /** The company of each category id: LVL4 tells a pair of one company from a pair of two (without it, every pair counts as of two). */
    categoryCompany?: ReadonlyMap<number, number>,
  ) {
    const { model, fitted } = pairModel(embedder.id);
    if (!fitted) logger?.warn({ embedder: embedder.id }, `the pair model was fitted on use-lite cosines, not ${embedder.id}'s; its probabilities are rough for ${embedder.id}`);
    this.model = model;
    this.threshold = model.threshold(level);
    this.minCosine = model.minCosine(level);
    this.features = catalogueFeatures(catalogue);
    this.companies = categoryCompany && catalogue.map((p) => Int32Array.from(new Set(p.categoryIds.map((c) => categoryCompany.get(c) ?? -1))).sort());
  }

  /** The probability a shopper accepts the pair, or -1 when it must not be offered (tags differ). */
  probability(x: number, y: number, cosine: number, linkScore = 0): number {
    return this.model.probability(this.features, x, y, cosine, { level: this.level, linkScore, sameCompany: this.sameCompany(x, y) }, this.scratch);
  }

  /** LVL3's products share a category, so one company; LVL4's when their companies meet (unknown: two). */
  private sameCompany(x: number, y: number): boolean {
    if (this.level === 3) return true;
    if (!this.companies) return false;
    const cx = this.companies[x]!;
    const cy = this.companies[y]!;
    for (let i = 0, j = 0; i < cx.length && j < cy.length; ) {
      if (cx[i] === cy[j]) return true;
      if (cx[i]! < cy[j]!) i++;
      else j++;
    }
    return false;
  }
}
