/**
 * The decision for a candidate pair of LVL3/LVL4: the estimated probability that a shopper who
 * wanted one product accepts the other, from a logistic regression over the name-embedding cosine
 * and lexical / category features. The weights and each level's threshold are data
 * (`data/pair-model.json`), fitted on the train part of the hand-labelled development set by
 * `scripts/dev-set/train.mjs`. Products whose attribute tags differ (./attribute-tags.ts) are
 * never paired, whatever the model says, and nor are pairs below the model's cosine floor.
 */
import { readDataFile } from './data-file.js';
import type { ProductFeatures } from './product-features.js';

/** Two quantities of one product type in grams and millilitres count as one kind of size within this many powers of ten (a factor of 2.2). */
const SAME_KIND_NEAR = 0.35;

/** The features of a pair, in the order of the model's weights. */
export const PAIR_FEATURES = ['cosine', 'cosineAbove85', 'tokenJaccard', 'headEqual', 'headInOther', 'headPhraseEqual', 'kindWordDiffers', 'flavourOnlyDiffers', 'sizeKindConflict', 'sameBrand', 'linkScore', 'lvl4', 'headsDisjoint', 'formDiffers', 'subtypeDiffers', 'typeEqual', 'typeDiffers', 'sameCompany', 'sameSize', 'sizeFar'] as const;
export type PairFeature = (typeof PAIR_FEATURES)[number];

export interface LevelWeights {
  readonly intercept: number;
  readonly weights: Readonly<Record<PairFeature, number>>;
}

export interface PairModelData extends LevelWeights {
  /**
   * Weights of their own for some levels (`"4"`), fitted on that level's pairs alone; a level
   * without them uses `intercept` and `weights`.
   */
  readonly levels?: Readonly<Record<string, LevelWeights>>;
  /** Probability a pair must reach to be kept, per level (`"3"`, `"4"`). */
  readonly thresholds: Readonly<Record<string, number>>;
  /** No pair below this cosine is a candidate (nearly none a shopper accepts is, on the development set). */
  readonly cosineFloor: number;
  /**
   * A higher floor for some levels (`"4"`): LVL4's candidates between 0.7 and 0.8 are so many (and
   * so rarely acceptable) that keeping any of them costs more precision than it brings coverage.
   */
  readonly cosineFloors?: Readonly<Record<string, number>>;
  /**
   * A lower floor for some levels (`"4"`) for pairs whose names end in the same two words (`Rolled
   * Oats` ~ `Australian Rolled Oats`, `Choc Chip Cookies` ~ `Chocolate Chip Cookies`): the same kind
   * of product, whose acceptable neighbours in another category often sit below the level's floor.
   */
  readonly phraseFloors?: Readonly<Record<string, number>>;
  /**
   * A lower floor for some levels (`"4"`) for pairs of the same product type (data/product-types.json:
   * `Sweet Soy Sauce` ~ `Kikkoman Soy Sauce Tamari` in categories no link joins).
   */
  readonly typeFloors?: Readonly<Record<string, number>>;
}

export interface PairContext {
  readonly level: number;
  /** The strength of the category link the pair came through (LVL4), 0 for LVL3. */
  readonly linkScore: number;
  /**
   * Whether the two products are sold by one company (their categories' companies meet). LVL3's
   * products share a category, so they always are (the default); a LVL4 pair of one company sits
   * in two of its categories, which says the retailer keeps the two apart (`Chocolate Bars` ~
   * `Chocolate Blocks`), while a pair of two companies may be one kind filed two ways.
   */
  readonly sameCompany?: boolean;
}

export class PairModel {
  /** Per level: the intercept, then the weights in PAIR_FEATURES order (`default` for a level without its own). */
  private readonly byLevel = new Map<string, Float64Array>();

  constructor(readonly data: PairModelData) {
    const compile = (l: LevelWeights) => Float64Array.from(['intercept', ...PAIR_FEATURES], (f) => (f === 'intercept' ? l.intercept : l.weights[f as PairFeature]));
    this.byLevel.set('default', compile(data));
    for (const [level, weights] of Object.entries(data.levels ?? {})) this.byLevel.set(level, compile(weights));
  }

  private weightsOf(level: number | undefined): Float64Array {
    return (level === undefined ? undefined : this.byLevel.get(String(level))) ?? this.byLevel.get('default')!;
  }

  threshold(level: number): number {
    const t = this.data.thresholds[String(level)];
    if (t === undefined) throw new Error(`the pair model has no threshold for level ${level}`);
    return t;
  }

  /**
   * The lowest cosine at which a pair of this level could reach the threshold, every other
   * feature at its most favourable value: the kernel need not report pairs below it.
   */
  minCosine(level: number): number {
    return Math.max(this.floor(level, true, true), this.reachableCosine(level));
  }

  /**
   * The lowest cosine of a candidate pair of this level, for a pair whose names end in the same two
   * words (`samePhrase`) or are of the same product type (`sameType`): the lowest floor that applies.
   */
  floor(level: number, samePhrase = false, sameType = false): number {
    let floor = Math.max(this.data.cosineFloor, this.data.cosineFloors?.[String(level)] ?? this.data.cosineFloor);
    const phraseFloor = samePhrase ? this.data.phraseFloors?.[String(level)] : undefined;
    const typeFloor = sameType ? this.data.typeFloors?.[String(level)] : undefined;
    if (phraseFloor !== undefined) floor = Math.min(floor, phraseFloor);
    if (typeFloor !== undefined) floor = Math.min(floor, typeFloor);
    return Math.max(this.data.cosineFloor, floor);
  }

  private reachableCosine(level: number): number {
    const w = this.weightsOf(level);
    const weight = (f: PairFeature) => w[1 + PAIR_FEATURES.indexOf(f)]!;
    const wCos = weight('cosine');
    if (!(wCos > 0)) return -1;
    let best = w[0]!;
    PAIR_FEATURES.forEach((f, k) => {
      if (f === 'cosine' || f === 'cosineAbove85') return;
      if (f === 'lvl4') best += level === 4 ? w[1 + k]! : 0;
      else best += Math.max(0, w[1 + k]!);
    });
    const t = this.threshold(level);
    // cosineAbove85 = max(0, cosine − 0.85) only adds when its weight is positive, and only above 0.85.
    const logit = Math.log(t / (1 - t));
    const below = (logit - best) / wCos;
    if (below <= 0.85) return Math.max(-1, below);
    const wAbove = Math.max(0, weight('cosineAbove85'));
    return Math.max(-1, Math.min(1, (logit - best + wAbove * 0.85) / (wCos + wAbove)));
  }

  /** The feature vector of the pair of catalogue indexes x, y (written into `out`). */
  features(p: ProductFeatures, x: number, y: number, cosine: number, context: PairContext, out: Float64Array = new Float64Array(PAIR_FEATURES.length)): Float64Array {
    const tx = p.tokens[x]!;
    const ty = p.tokens[y]!;
    let shared = 0;
    let kindDiffers = 0;
    let flavourOnly = 1;
    let formDiffers = 0;
    // Groups of sub-type words (bits) found in both names, in x only, in y only.
    let subtypeShared = 0;
    let subtypeX = 0;
    let subtypeY = 0;
    for (let i = 0, j = 0; i < tx.length || j < ty.length; ) {
      let t: number;
      if (i < tx.length && j < ty.length && tx[i] === ty[j]) {
        subtypeShared |= p.subtype[tx[i]!]!;
        shared++;
        i++;
        j++;
        continue;
      } else if (j >= ty.length || (i < tx.length && tx[i]! < ty[j]!)) {
        t = tx[i++]!;
        subtypeX |= p.subtype[t]!;
      } else {
        t = ty[j++]!;
        subtypeY |= p.subtype[t]!;
      }
      kindDiffers |= p.headLike[t]!;
      flavourOnly &= p.variant[t]!;
      formDiffers |= p.form[t]!;
    }
    const union = tx.length + ty.length - shared;
    const hx = p.head[x]!;
    const hy = p.head[y]!;
    out[0] = cosine;
    out[1] = Math.max(0, cosine - 0.85);
    out[2] = union === 0 ? 0 : shared / union;
    out[3] = hx >= 0 && hx === hy ? 1 : 0;
    out[4] = (hx >= 0 && ty.includes(hx)) || (hy >= 0 && tx.includes(hy)) ? 1 : 0;
    out[5] = p.headPhrase[x]! >= 0 && p.headPhrase[x] === p.headPhrase[y] ? 1 : 0;
    out[6] = kindDiffers;
    // The names differ in flavour or variety words only (and share something).
    out[7] = shared > 0 ? flavourOnly : 0;
    // Sizes of two kinds (grams against millilitres: `Stock Powder 168g` ~ `Liquid Stock 1L`), unless the
    // two are of one product type and near in quantity, a gram taken for a millilitre: sauces and
    // mayonnaise are sold by either (`Oyster Sauce 255g` ~ `Oyster Sauce 275ml`).
    const typeX = p.type[x]!;
    const typeY = p.type[y]!;
    const qx = p.quantity[x]!;
    const qy = p.quantity[y]!;
    const sizeKindsDiffer = p.sizeKind[x]! !== 0 && p.sizeKind[y]! !== 0 && p.sizeKind[x] !== p.sizeKind[y];
    out[8] = sizeKindsDiffer && !(typeX >= 0 && typeX === typeY && qx > 0 && qy > 0 && Math.abs(Math.log10(qx / qy)) <= SAME_KIND_NEAR) ? 1 : 0;
    out[9] = p.brand[x]! >= 0 && p.brand[x] === p.brand[y] ? 1 : 0;
    out[10] = context.linkScore;
    out[11] = context.level === 4 ? 1 : 0;
    // Neither head noun is among the other name's words (`Chicken Breast` ~ `Chicken Wings`).
    out[12] = hx >= 0 && hy >= 0 && hx !== hy && !ty.includes(hx) && !tx.includes(hy) ? 1 : 0;
    // A form word in one name only (`Full Cream Milk` ~ `Evaporated Milk`, `Ground` ~ `Instant Coffee`).
    out[13] = formDiffers;
    // Both names name a sub-type of one group and share none (`Milk Chocolate` ~ `White Chocolate`, `Chicken Breast` ~ `Chicken Wings`).
    // A group scoped to product types (`soy` ~ `oat` of milks) counts only when it applies to both products.
    out[14] = (subtypeX & subtypeY & ~subtypeShared & p.subtypeScope[x]! & p.subtypeScope[y]!) !== 0 ? 1 : 0;
    // The product types of data/product-types.json: the same (`Beef Scotch Fillet Steak` ~ `Beef Porterhouse Steak`), or two different ones (`Pasta Sauce` ~ `Soy Sauce`).
    out[15] = typeX >= 0 && typeX === typeY ? 1 : 0;
    out[16] = typeX >= 0 && typeY >= 0 && typeX !== typeY ? 1 : 0;
    out[17] = context.sameCompany === false ? 0 : 1;
    // The same standardised sizes (`Silver Scoop Boysenberry 2L` ~ `Silver Scoop Choc Chip 2L`: one line, two flavours).
    out[18] = p.sizeSet[x]! >= 0 && p.sizeSet[x] === p.sizeSet[y] ? 1 : 0;
    // How far apart the two quantities are, in powers of ten up to one (`50g` ~ `1kg`: a snack pack against a bulk bag), when both are of one kind.
    out[19] = qx > 0 && qy > 0 && p.sizeKind[x] === p.sizeKind[y] ? Math.min(1, Math.abs(Math.log10(qx / qy))) : 0;
    return out;
  }

  /** The probability of a feature vector, with the weights of `level` (its own, or the default ones). */
  probabilityOf(features: Float64Array, level?: number): number {
    const w = this.weightsOf(level);
    let z = w[0]!;
    for (let k = 1; k < w.length; k++) z += w[k]! * features[k - 1]!;
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * The probability a shopper accepts the pair, or -1 when the products' attribute tags differ
   * (a dietary variant against the regular product, another nappy size, …).
   */
  probability(p: ProductFeatures, x: number, y: number, cosine: number, context: PairContext, scratch?: Float64Array): number {
    const samePhrase = p.headPhrase[x]! >= 0 && p.headPhrase[x] === p.headPhrase[y];
    const sameType = p.type[x]! >= 0 && p.type[x] === p.type[y];
    if (p.tags[x] !== p.tags[y] || cosine < this.floor(context.level, samePhrase, sameType)) return -1;
    return this.probabilityOf(this.features(p, x, y, cosine, context, scratch), context.level);
  }
}

interface PairModelFile {
  /** Models by embedder id: the cosine feature is that embedder's. */
  readonly models: Readonly<Record<string, PairModelData>>;
  /** The model an embedder without one of its own uses. */
  readonly fallback: string;
}

const shipped = new Map<string, PairModel>();
let file: PairModelFile | undefined;

/** The model of `data/pair-model.json` for an embedder id (the fallback's when it has none), and whether it was fitted for it. */
export function pairModel(embedderId: string): { model: PairModel; fitted: boolean } {
  file ??= readDataFile<PairModelFile>('pair-model.json');
  const fitted = embedderId in file.models;
  const id = fitted ? embedderId : file.fallback;
  let model = shipped.get(id);
  if (!model) shipped.set(id, (model = new PairModel(file.models[id]!)));
  return { model, fitted };
}
