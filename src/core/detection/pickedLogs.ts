/**
 * What a number worked out over numbers of the source carries when it is part of a cross-entropy written
 * by hand with Python floats (recognisers/floatPicks.ts, docs/detection.md 3.182). A file of its own, without
 * imports, so that values.ts can name it without importing the recogniser.
 */

/** One sample: its logits (the exponents of the sum) and its class. */
export interface PickedRow {
  logits: number[];
  k: number;
}

/**
 * How far a number is along the worked loss: a softmax probability (`exp(a) / Σ exp`), the sum of
 * log-probabilities, its negation (the summed loss) or that over the count (the mean loss).
 */
export interface PickedLogs {
  stage: 'softmax' | 'log' | 'neg' | 'mean';
  rows: PickedRow[];
}
