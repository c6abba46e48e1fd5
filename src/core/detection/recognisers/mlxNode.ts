/**
 * mlx-node (`@mlx-node/core`, MLX's Rust bindings for Node): `Losses.crossEntropy(logits, targets,
 * numClasses?, ignoreIndex?, labelSmoothing?)`, positional arguments only (docs/detection.md 3.42):
 * - targets of the logits' rank are probabilities: the mean over rows of −Σ y·log_softmax(x); the
 *   ignore index and label smoothing are not used on them;
 * - else class indices on the last axis: −log_softmax(x)[t], with smoothing s:
 *   (1 − s)·(−log p_t) + s·(−mean(log p)) (torch's smoothing for index targets);
 * - reduced to a scalar: the mean over the rows, or with an ignore index the sum over the rows whose
 *   target is not it divided by their count (at least 1) — torch's mean with ignore_index;
 * - numClasses is not used (the third place is not the ignore index; tests that pass `-1` there
 *   ignore nothing).
 * torch's cross_entropy computes these numbers for 2-D logits (classes on dim 1, the last axis).
 * A negative class index that is not the ignore index (MLX's gather reads it from the end), a class
 * index out of range, every target ignored (mlx-node gives 0, torch nan), and logits of another
 * rank leave the pair without a number, with the reason.
 */
import type { ArrayValue, OptionValues, Value } from '../values';
import { asNumber } from './common';
import type { LibraryEntry } from './entry';
import { entryOf, integral, type Reading } from './softmaxCopies';

function classIndexProblem(target: ArrayValue, classes: number, ignore: number | undefined): string | undefined {
  const d = target.transform === null ? target.data : null;
  if (!d) return 'the targets are not known here';
  let kept = 0;
  for (const t of d) {
    if (t === ignore) continue;
    kept++;
    if (t < 0)
      return `the class index ${t} is negative and not the ignore index: MLX's gather reads it from the end (not modelled)`;
    if (t >= classes) return `the class index ${t} is out of range for ${classes} classes`;
  }
  return kept === 0 ? 'every target is the ignore index: mlx-node gives 0 where torch gives nan' : undefined;
}

const read = (raw: Record<string, Value | null>, input: ArrayValue, target: ArrayValue): Reading => {
  const ignore = asNumber(raw.ignore_index);
  const smoothing = asNumber(raw.label_smoothing);
  const options: OptionValues = { reduction: 'mean' };
  const probabilities = target.shape.length === input.shape.length;
  let unverified: string | undefined;
  if (ignore === null || smoothing === null) unverified = 'an option of this call is not known here';
  else if (smoothing !== undefined && (smoothing < 0 || smoothing >= 1))
    unverified = `mlx-node refuses label smoothing ${smoothing} (it must be in [0, 1))`;
  else if (input.shape.length !== 2)
    unverified = `only 2-D logits are modelled (these are ${input.shape.length}-D; mlx-node's classes are on the last axis)`;
  else if (probabilities) {
    if (target.shape.join() !== input.shape.join())
      unverified = "probability targets of another shape than the logits'";
    else if (integral(target)) unverified = 'integer targets of the logits’ rank are read as probabilities';
  } else if (!integral(target)) unverified = 'mlx-node gathers with the class indices: float indices are not modelled';
  else unverified = classIndexProblem(target, input.shape[1], ignore);
  if (!probabilities) {
    if (ignore !== undefined && ignore !== null) options.ignoreIndex = ignore;
    if (smoothing) options.labelSmoothing = smoothing;
  }
  return { options, input, target, ...(unverified ? { unverified } : {}) };
};

export const mlxNodeEntries: LibraryEntry[] = [
  entryOf({
    id: 'mlx.Losses.crossEntropy',
    library: 'mlx-node',
    form: 'function',
    callKind: 'cross_entropy',
    input: { position: 0 },
    target: { position: 1 },
    options: ['num_classes', 'ignore_index', 'label_smoothing'],
    defaultReduction: 'mean',
    classAxis: 'the last axis (dim 1 of 2-D logits, as torch)',
    note: "mlx-node's Losses.crossEntropy returns the mean over the rows (a scalar); its third argument is numClasses (not used), the fourth the ignore index (the mean then over the rows not ignored), the fifth label smoothing for class indices; probability targets are averaged −Σ y·log_softmax(x)",
    read,
  }),
];
