/**
 * The loss of one exercise-page example under the semantics its page states (problemProse.ts):
 * binary or categorical, probabilities or logits, mean or sum, a clipping epsilon. The result is
 * the library request the worker computes (rules `nll`, `softmax`, `torch_bce`, `torch_bce_logits`
 * in float64), or why the example has no number: whatever the page leaves open, or a value its
 * clipping would change, is unverified rather than guessed.
 */
import type { LibraryLossRequest, PerExampleRule } from '../libraries/types';
import type { ExampleArg } from './problemArgs';
import { kindSaid, roleOfName, type PageSemantics } from './problemProse';

export type ProblemPageForm =
  'page.categorical_probabilities' | 'page.categorical_logits' | 'page.binary_probabilities' | 'page.binary_logits';

/** The example's prediction and target, and an epsilon it passes. */
export interface Roles {
  prediction: ExampleArg;
  target: ExampleArg;
  epsilon: number | null;
}

export interface Computation {
  form: ProblemPageForm;
  request: LibraryLossRequest | null;
  unverified?: string;
  reduction: 'mean' | 'sum';
}

function nd(data: Float64Array, shape: number[]) {
  return { data, shape, integral: false };
}

function oneHotIndices(y: Float64Array, rows: number, C: number): Float64Array | null {
  const out = new Float64Array(rows);
  for (let n = 0; n < rows; n++) {
    let at = -1;
    for (let c = 0; c < C; c++) {
      const v = y[n * C + c];
      if (v === 1 && at === -1) at = c;
      else if (v !== 0) return null;
    }
    if (at < 0) return null;
    out[n] = at;
  }
  return out;
}

/** The loss of one example under the page's semantics, or why it has no number. */
export function compute(sem: PageSemantics, roles: Roles): Computation {
  const p = roles.prediction.value;
  const t = roles.target.value;
  const pShape = p.shape.length === 0 ? [1] : p.shape;
  const tShape = t.shape;
  const sameShape = p.shape.join() === tShape.join();
  const C = pShape[pShape.length - 1];
  const rows = p.data.length / C;
  const indexTarget =
    t.integral && (tShape.length === 0 ? pShape.length === 1 : tShape.join() === pShape.slice(0, -1).join());
  // Binary or categorical: the page's words, else what the shapes allow.
  let binary: boolean | null = null;
  if (sem.binary && !sem.categorical) binary = true;
  else if (sem.categorical && !sem.binary) binary = false;
  if (indexTarget && p.shape.length >= 1 && binary !== true) binary = false;
  if (binary === null && sameShape && p.shape.length >= 1 && C >= 3 && oneHotIndices(t.data, rows, C)) binary = false;
  const base = { request: null, reduction: 'mean' as const };
  if (binary === null)
    return {
      ...base,
      form: 'page.categorical_probabilities',
      unverified: 'the page does not say binary or categorical cross-entropy',
    };
  // Probabilities or logits: the argument's name, a comment beside it, else the page's prose.
  const named = roles.prediction.name ? (roleOfName(roles.prediction.name)?.kind ?? null) : null;
  let kind = named ?? kindSaid(roles.prediction.line.replace(/^[^#]*#?/, (m) => (m.includes('#') ? '' : m)));
  if (!kind)
    kind = sem.probabilities && !sem.logits ? 'probabilities' : sem.logits && !sem.probabilities ? 'logits' : null;
  const form: ProblemPageForm =
    `page.${binary ? 'binary' : 'categorical'}_${kind ?? 'probabilities'}` as ProblemPageForm;
  if (!kind)
    return {
      ...base,
      form,
      unverified: 'the page does not settle whether the predictions are probabilities or logits',
    };
  if (sem.variant)
    return { ...base, form, unverified: `the page's loss is a variant not modelled here (${sem.variant})` };
  const examples = binary ? p.data.length : rows;
  let reduction = sem.reduction;
  if (examples === 1) reduction ??= 'mean';
  if (!reduction) return { ...base, form, unverified: 'the page does not say mean or sum over the examples' };
  const x = p.data;
  const y = t.data;
  const probs = kind === 'probabilities';
  if (probs && x.some((v) => !(v >= 0 && v <= 1)))
    return { ...base, form, reduction, unverified: 'a prediction read as a probability is outside [0, 1]' };
  const eps = roles.epsilon ?? sem.epsilon ?? (sem.clipping ? 1e-6 : 0);
  const clipMatters = (q: number): boolean => q === 0 || (eps > 1e-12 && q < eps);
  let request: LibraryLossRequest;
  const common = {
    library: 'torch' as const,
    fromLogits: !probs,
    epsilon: 0,
    labelSmoothing: 0,
    smoothing: 'mix_targets' as const,
    weights: null,
    weightRule: 'broadcast' as const,
    reduction,
    dtype: 'float64' as const,
  };
  if (binary) {
    if (!sameShape && !(p.shape.length === 0 && t.shape.length === 0))
      return { ...base, form, reduction, unverified: 'predictions and labels differ in shape' };
    if (p.shape.length > 1)
      return {
        ...base,
        form,
        reduction,
        unverified: 'several labels per example: the mean over labels or their sum is not said',
      };
    if (y.some((v) => !(v >= 0 && v <= 1))) return { ...base, form, reduction, unverified: 'a label outside [0, 1]' };
    if (probs)
      for (let k = 0; k < x.length; k++)
        if ((y[k] > 0 && clipMatters(x[k])) || (y[k] < 1 && clipMatters(1 - x[k])))
          return { ...base, form, reduction, unverified: `log of ${x[k]}: the page's clipping decides this number` };
    const rule: PerExampleRule = probs ? 'torch_bce' : 'torch_bce_logits';
    request = { ...common, rule, input: nd(x, pShape), target: nd(y, pShape), targetKind: 'probabilities' };
  } else {
    let indices: Float64Array | null = null;
    if (indexTarget) indices = y;
    else if (sameShape) indices = oneHotIndices(y, rows, C);
    if (indices && indices.some((v) => !(v >= 0 && v < C)))
      return { ...base, form, reduction, unverified: 'a class index outside the classes given' };
    if (probs) {
      if (!indices)
        return { ...base, form, reduction, unverified: 'soft targets on probabilities are not modelled here' };
      for (let n = 0; n < rows; n++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += x[n * C + c];
        if (Math.abs(s - 1) > 1e-6)
          return {
            ...base,
            form,
            reduction,
            unverified: 'a row of probabilities does not sum to 1 (whether the page renormalises is not said)',
          };
        if (clipMatters(x[n * C + indices[n]]))
          return { ...base, form, reduction, unverified: "log of 0: the page's clipping decides this number" };
      }
      request = {
        ...common,
        rule: 'nll',
        input: nd(x.map(Math.log), [rows, C]),
        target: nd(indices, [rows]),
        targetKind: 'indices',
      };
    } else if (indices) {
      request = {
        ...common,
        rule: 'softmax',
        input: nd(x, [rows, C]),
        target: nd(indices, [rows]),
        targetKind: 'indices',
      };
    } else if (sameShape && !y.some((v) => !(v >= 0 && v <= 1))) {
      request = {
        ...common,
        rule: 'softmax',
        input: nd(x, [rows, C]),
        target: nd(y, [rows, C]),
        targetKind: 'probabilities',
      };
    } else
      return {
        ...base,
        form,
        reduction,
        unverified: 'the targets are neither class indices nor rows of probabilities',
      };
  }
  return { form, request, reduction };
}
