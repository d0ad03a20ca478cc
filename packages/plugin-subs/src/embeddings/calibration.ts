/**
 * Threshold calibration on labelled pairs (test/fixtures/calibration-pairs.jsonl): precision,
 * recall, F1 and F0.5 of "cosine > threshold" against the hand labels, and the threshold that
 * maximises F0.5 (ties: the higher threshold). F0.5 weighs precision twice as much as recall: a
 * wrong substitute is shown to a shopper, and the fixture holds far more substitutes (58%) than a
 * real category does, so its precision flatters every threshold. (Best F1 was 0.68; at the scale
 * of the benchmark it produced 10 million pairs for 50,000 products.)
 */
export interface ScoredPair {
  readonly score: number;
  readonly substitute: boolean;
}

export interface ThresholdMetrics {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** F-beta with beta 0.5: precision weighed twice. */
  readonly f05: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

export function metricsAt(pairs: readonly ScoredPair[], threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { score, substitute } of pairs) {
    const predicted = score > threshold;
    if (predicted && substitute) tp++;
    else if (predicted) fp++;
    else if (substitute) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const f05 = precision + recall === 0 ? 0 : (1.25 * precision * recall) / (0.25 * precision + recall);
  return { threshold, precision, recall, f1, f05, truePositives: tp, falsePositives: fp, falseNegatives: fn };
}

/** Sweeps thresholds from `from` to `to` in `step`s (two decimals) and returns the best F0.5. */
export function bestThreshold(pairs: readonly ScoredPair[], from = 0.3, to = 0.95, step = 0.01): ThresholdMetrics {
  let best: ThresholdMetrics | undefined;
  for (let i = Math.round(from / step); i <= Math.round(to / step); i++) {
    const metrics = metricsAt(pairs, Math.round(i * step * 100) / 100);
    if (!best || metrics.f05 >= best.f05) best = metrics;
  }
  return best!;
}
