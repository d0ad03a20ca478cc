/**
 * Precision and coverage of a generator's decisions on the hand-labelled development set
 * (test/fixtures/dev-set/): shared by the fitting script, the benchmark and the tests.
 * - precision of kept pairs: over the score-stratified sample, each pair weighted by its bin's
 *   weight (candidates in the bin ÷ pairs drawn), `yes` 1, `borderline` ½, `no` 0;
 * - coverage: of the anchor products with at least one neighbour labelled `yes`, the share for
 *   which at least one of those `yes` pairs is kept.
 */
export type Label = 'yes' | 'borderline' | 'no';

export interface DevPairSide {
  readonly key: string;
  readonly company: string;
  readonly brand: string | null;
  readonly name: string;
  readonly category: string;
}

export interface DevPair {
  readonly id: string;
  readonly level: number;
  readonly sample: 'pairs' | 'anchors';
  readonly bin?: number;
  readonly anchor?: number;
  readonly weight: number;
  readonly score: number;
  /** `held-back-12`: the held-back part, which fitting and the choice of cuts never see; `train`: everything else. */
  readonly split: 'train' | 'held-back-12';
  /**
   * The held-back part a train pair was in before it had been looked at and moved to train:
   * `held-back` (the first draw's), `held-back-2` … `held-back-11` (the later draws).
   */
  readonly formerSplit?: 'held-back' | 'held-back-2' | 'held-back-3' | 'held-back-4' | 'held-back-5' | 'held-back-6' | 'held-back-7' | 'held-back-8' | 'held-back-9' | 'held-back-10' | 'held-back-11';
  readonly label: Label;
  readonly a: DevPairSide;
  readonly b: DevPairSide;
}

/** The split the documented figures are measured on (fitting and thresholds never see it). */
export const HELD_BACK_SPLIT = 'held-back-12';

export const labelValue = (label: Label): number => (label === 'yes' ? 1 : label === 'borderline' ? 0.5 : 0);

export interface Confusion {
  readonly yes: number;
  readonly borderline: number;
  readonly no: number;
}

export interface DevSetFigures {
  readonly pairs: number;
  /** Weighted precision of the kept pairs (borderline ½); 1 when nothing is kept. */
  readonly precision: number;
  /** The same, unweighted (the sample as drawn). */
  readonly samplePrecision: number;
  readonly kept: Confusion;
  readonly dropped: Confusion;
  readonly coverage: number;
  readonly anchorsWithSubstitute: number;
  readonly anchorsCovered: number;
}

/** Figures of `kept` (a decision per pair) over `pairs` (one level, one split). */
export function devSetFigures(pairs: readonly DevPair[], kept: (pair: DevPair) => boolean): DevSetFigures {
  const keptCount = { yes: 0, borderline: 0, no: 0 };
  const droppedCount = { yes: 0, borderline: 0, no: 0 };
  let weighted = 0;
  let weight = 0;
  let value = 0;
  let n = 0;
  const anchors = new Map<number, { yes: number; covered: boolean }>();
  for (const pair of pairs) {
    const isKept = kept(pair);
    if (pair.sample === 'pairs') {
      (isKept ? keptCount : droppedCount)[pair.label]++;
      if (isKept) {
        weighted += pair.weight * labelValue(pair.label);
        weight += pair.weight;
        value += labelValue(pair.label);
        n++;
      }
    } else if (pair.anchor !== undefined) {
      const state = anchors.get(pair.anchor) ?? { yes: 0, covered: false };
      if (pair.label === 'yes') {
        state.yes++;
        if (isKept) state.covered = true;
      }
      anchors.set(pair.anchor, state);
    }
  }
  const withSubstitute = [...anchors.values()].filter((a) => a.yes > 0);
  const covered = withSubstitute.filter((a) => a.covered).length;
  return {
    pairs: pairs.length,
    precision: weight === 0 ? 1 : weighted / weight,
    samplePrecision: n === 0 ? 1 : value / n,
    kept: keptCount,
    dropped: droppedCount,
    coverage: withSubstitute.length === 0 ? 1 : covered / withSubstitute.length,
    anchorsWithSubstitute: withSubstitute.length,
    anchorsCovered: covered,
  };
}
