/**
 * DeZero's `functions.softmax_cross_entropy_simple(x, t)` (the book's first version, kept beside the
 * fused one and copied by its readers' clones): softmax(x), clipped to [1e-15, 1], log, the label's
 * column, −mean over the N rows. Where no probability falls below 1e-15 the clip changes nothing and
 * the number is torch's cross-entropy (mean); a row that does fall below it is left without a number
 * (docs/detection.md 3.110, 4.31).
 */
import type { ArrayValue, Value } from '../values';
import type { LibraryEntry } from './entry';
import { entryOf, integral, type Reading } from './softmaxCopies';

/** The smallest softmax probability of 2-D scores, or null when they are not known. */
function smallestProbability(x: ArrayValue): number | null {
  if (!x.data || x.shape.length !== 2 || x.transform !== null) return null;
  const [n, c] = x.shape;
  let least = 1;
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, x.data[r * c + k]);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(x.data[r * c + k] - max);
    for (let k = 0; k < c; k++) least = Math.min(least, Math.exp(x.data[r * c + k] - max) / sum);
  }
  return least;
}

function read(_raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading {
  let unverified: string | undefined;
  const least = smallestProbability(input);
  if (input.shape.length !== 2)
    unverified = `DeZero's softmax_cross_entropy_simple takes 2-D scores (these are ${input.shape.length}-D)`;
  else if (!integral(target)) unverified = 'DeZero indexes with the labels: float labels are not modelled';
  else if (target.data?.some((v) => v < 0)) unverified = 'a negative label indexes from the end in numpy: not modelled';
  else if (least === null) unverified = 'the scores are not known here';
  else if (least < 1e-15)
    unverified = "a softmax probability below 1e-15: DeZero's simple version clips it there before the log";
  return { options: { reduction: 'mean' }, input, target, ...(unverified ? { unverified } : {}) };
}

export const dezeroSimpleEntries: LibraryEntry[] = [
  entryOf({
    id: 'dezero.functions.softmax_cross_entropy_simple',
    library: 'dezero',
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0, keyword: 'x' },
    target: { position: 1, keyword: 't' },
    options: [],
    defaultReduction: 'mean',
    classAxis: 'axis 1 of 2-D scores, as torch',
    note: "DeZero's simple version: softmax clipped to [1e-15, 1], log, the label's column, averaged over N; torch's cross-entropy where nothing is clipped",
    read,
  }),
];
