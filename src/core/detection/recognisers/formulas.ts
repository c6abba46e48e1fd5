/**
 * Cross-entropy written by hand, in numpy, torch, Python `math` or mxnet: one catalogue entry per
 * form, each with what it computes in torch's terms. A formula is recognised from what its value
 * is (every element a row's loss, or a sum or mean of them: terms.ts), never from a function's
 * name; its number is the code's own arithmetic (tensorMath.ts), and the pair also carries the
 * torch computation it corresponds to, for the step-by-step breakdown.
 */
import type { FormulaGuard, FormulaLibrary } from '../../libraries/types';
import type { Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { PairInput } from '../pairInput';
import { kindOf, libOf, rounder } from '../tensorMath';
import { completedAlone, sameRoot, type Term, type TermOf } from '../terms';
import type { LossCall } from '../types';
import { logElementwise, withArray, type ArrayValue, type AssumedTorch, type PairRef, type Value } from '../values';

export { formulaCatalogue } from './formulaCatalogue';

/** How a value reached the statement: a formula written inline, or what a user function returned. */
export interface FormulaOrigin {
  /** The function called (`cross_entropy_error`), when the value is what it returned. */
  callee: string | null;
  /** The argument name the probabilities / logits were passed as (`x_log`), if any. */
  argName: string | null;
  /** Arguments of the call that are names bound to arrays: the name, and its array's site. */
  args?: { name: string; site: number }[];
  /**
   * The value is what a function named as a loss returned: a binary log-likelihood it returns without
   * the minus sign is its value too (`formula.binary_log_likelihood`), the sign as written.
   */
  likelihood?: boolean;
}

/** The row losses (or their reduction) a value is, when it is one; null otherwise. */
function lossTerms(
  v: ArrayValue,
  likelihood = false,
): { rows: TermOf<'ll'>[] | null; red: TermOf<'red'> | null; weight?: ArrayValue } | null {
  const raw = v.terms;
  if (!raw || !v.data || raw.length === 0 || raw.some((t) => t === null)) return null;
  // One t · log p term standing alone (`-log(p[0]) * t[0]`) is a row's loss when it is complete.
  const ts = raw.length === 1 && raw[0]?.t === 'tlogp' ? [completedAlone(raw[0])] : raw;
  const first = ts[0] as Term;
  // A binary log-likelihood kept positive (no minus sign) counts only where `likelihood` allows it.
  const sign = (t: TermOf<'ll'> | TermOf<'red'>): boolean =>
    t.neg || (likelihood && t.form === 'formula.binary_log_loss');
  if (ts.length === 1 && first.t === 'red') return sign(first) ? { rows: null, red: first } : null;
  if (ts.length === 1 && first.t === 'wred') return classWeighted(first);
  // −log softmax(x)[c] at a class written as a constant (`-np.log(np.exp(x[1]) / np.sum(np.exp(x)))`).
  if (ts.length === 1 && first.t === 'logp' && first.neg && first.via === 'softmax') {
    const form = first.hand ? 'formula.neg_log_softmax_pick' : 'formula.log_softmax_pick';
    const ll: TermOf<'ll'> = {
      t: 'll',
      src: first.src,
      r: first.r,
      via: 'softmax',
      form,
      tgt: null,
      c: first.c,
      probs: false,
      neg: true,
    };
    return { rows: [ll], red: null };
  }
  if (first.t !== 'll' || !sign(first)) return null;
  const seen = new Set<number>();
  for (const t of ts as Term[]) {
    if (t.t !== 'll' || t.neg !== first.neg || seen.has(t.r)) return null;
    if (!sameRoot(t.src, first.src) || !sameRoot(t.tgt, first.tgt) || t.via !== first.via || t.form !== first.form)
      return null;
    seen.add(t.r);
  }
  return { rows: ts as TermOf<'ll'>[], red: null };
}

/**
 * Σ w[c_r]·(−ll_r), or that divided by Σ w[c_r] (classWeights.ts): torch's loss with `weight=w`, summed or
 * averaged; its rows as a plain reduction, the weights beside them. A one-row weighted sum is no loss here.
 */
function classWeighted(t: TermOf<'wred'>): { rows: null; red: TermOf<'red'>; weight: ArrayValue } | null {
  const f = t.rows[0];
  if (!f.neg || (t.how === 'sum' && t.rows.length < 2)) return null;
  const red: TermOf<'red'> = {
    t: 'red',
    src: f.src,
    rows: t.rows.map((r) => r.r),
    classes: t.rows.map((r) => r.c),
    via: f.via,
    form: f.form,
    tgt: f.tgt,
    probs: false,
    neg: true,
    how: t.how,
    k: 1,
  };
  return { rows: null, red, weight: t.w };
}

/** Rows `rows` of a (C) or (N, C) source, flattened. */
function rowsOf(root: ArrayValue, rows: number[]): { data: Float64Array; batched: boolean } | null {
  const d = root.data;
  if (!d) return null;
  if (root.shape.length === 1) return rows.length === 1 && rows[0] === -1 ? { data: d, batched: false } : null;
  if (root.shape.length !== 2) return null;
  const C = root.shape[1];
  const out = new Float64Array(rows.length * C);
  rows.forEach((r, k) => out.set(d.subarray(r * C, r * C + C), k * C));
  return { data: out, batched: true };
}

/** The class of each row of C when every row is one-hot (one 1, the rest 0), else null. */
function oneHotClasses(data: Float64Array, C: number): number[] | null {
  const out: number[] = [];
  for (let r = 0; r < data.length; r += C) {
    let hot = -1;
    for (let c = 0; c < C; c++) {
      const v = data[r + c];
      if (v === 1 && hot < 0) hot = c;
      else if (v !== 0) return null;
    }
    if (hot < 0) return null;
    out.push(hot);
  }
  return out.length ? out : null;
}

/**
 * Whose arithmetic a formula's value is: TensorFlow when the numbers it reads are a TensorFlow
 * tensor (tf.constant: its ops compute as torch's do, so the value itself looks like torch's),
 * otherwise what holds the value.
 */
function formulaLibraryOf(v: ArrayValue, src: ArrayValue): FormulaLibrary {
  if (src.strictDtype) return 'tensorflow';
  const lib = libOf(v);
  return lib === 'torch' || lib === 'numpy' ? lib : 'python';
}

/**
 * A torch formula whose value, probabilities or targets came from a torch call read through a
 * name the file never binds (`torch.log(…)` without `import torch`): it is torch's by that
 * assumption, as a loss call read that way is (values.ts ArrayValue.assumed).
 */
function assumedOf(
  v: ArrayValue,
  src: ArrayValue,
  tgt: ArrayValue | null | undefined,
): { assumedTorch?: AssumedTorch } {
  if (formulaLibraryOf(v, src) !== 'torch') return {};
  const assumed = v.assumed ?? src.assumed ?? tgt?.assumed;
  return assumed ? { assumedTorch: { ...assumed } } : {};
}

/** The row losses a formula's value is (per row), or their reduction. */
type Found = { rows: TermOf<'ll'>[] | null; red: TermOf<'red'> | null };

/** The term that stands for the loss (its reduction, or its first row) and the flat rows it covers. */
function leadOf(found: Found): { lead: TermOf<'ll'> | TermOf<'red'>; flats: number[] } {
  const lead = (found.red ?? (found.rows as TermOf<'ll'>[])[0]) as TermOf<'ll'> | TermOf<'red'>;
  return { lead, flats: found.red ? found.red.rows : (found.rows as TermOf<'ll'>[]).map((t) => t.r) };
}

/** Whether the value is one loss per row (torch's 'none'), else how its rows were reduced. */
function reductionOf(found: Found, v: ArrayValue, n: number): { perRow: boolean; reduction: 'none' | 'mean' | 'sum' } {
  const perRow = found.rows !== null && !(v.shape.length === 0 || (n === 1 && (v.data?.length ?? 0) === 1));
  return { perRow, reduction: perRow ? 'none' : found.red?.how === 'mean' ? 'mean' : found.red ? 'sum' : 'mean' };
}

/**
 * A pair for a value that is a hand-written cross-entropy (its loss, or its per-row losses);
 * null when the value is not one. `node` is the expression that computed it.
 */
export function formulaPair(ev: Evaluation, v: ArrayValue, node: Node, origin: FormulaOrigin): PairRef | null {
  const found = lossTerms(v, origin.likelihood === true);
  if (!found) return null;
  const { lead, flats: rows } = leadOf(found);
  if (lead.form === 'formula.binary_log_loss') return binaryPair(ev, v, node, origin, found);
  if (lead.form === 'formula.binary_logits_loss') return logitsPair(ev, v, node, origin, found);
  let classes = found.red ? found.red.classes : (found.rows as TermOf<'ll'>[]).map((t) => t.c);
  const src = lead.src;
  const dtype = kindOf(v) === 'float32' ? 'float32' : 'float64';
  const picked = rowsOf(src, rows);
  if (!picked) return null;
  const round = rounder(dtype);
  const x = new Float64Array(picked.data.length);
  for (let k = 0; k < x.length; k++) x[k] = round(picked.data[k]);
  const C = src.shape[src.shape.length - 1];
  const inputData = lead.via !== 'softmax' ? logElementwise(x, dtype) : x;
  // A masked log (`np.ma.log(p).filled(v)`): the code's log-probabilities are v where p ≤ 0.
  if (lead.masked !== undefined) for (let k = 0; k < x.length; k++) if (!(x[k] > 0)) inputData[k] = lead.masked;
  const shape = picked.batched ? [rows.length, C] : [C];
  const input = withArray(src, {
    data: inputData,
    shape,
    dtype,
    integerTensor: false,
    transform: null,
    name: origin.argName ?? origin.args?.find((a) => a.site === src.site.id)?.name ?? src.name,
    terms: undefined,
    view: undefined,
  });
  let target: ArrayValue;
  let targetIndex: number | undefined;
  let probs =
    lead.probs && lead.tgt
      ? rowsOf(lead.tgt, lead.tgt.shape.length === 2 ? rows.map((r) => (r < 0 ? 0 : r)) : rows)
      : null;
  if (lead.probs && lead.tgt && (!probs || probs.data.length !== inputData.length)) return null;
  // −Σ y·log p with one-hot rows y is −log p[t]: torch's NLLLoss of log p with the class indices,
  // exactly (torch has no NLLLoss for probability targets, so the steps need the indices).
  const hot = probs && lead.via !== 'softmax' ? oneHotClasses(probs.data, C) : null;
  if (hot) {
    classes = hot;
    probs = null;
  }
  if (probs && lead.tgt) {
    target = withArray(lead.tgt, {
      data: probs.data,
      shape,
      integerTensor: false,
      dtype,
      terms: undefined,
      view: undefined,
    });
  } else {
    const data = Float64Array.from(classes);
    target = withArray(lead.tgt ?? src, {
      data,
      shape: picked.batched ? [rows.length] : [],
      integerTensor: true,
      dtype: null,
      terms: undefined,
      view: undefined,
    });
    if (!picked.batched) targetIndex = classes[0];
  }
  const perRow = found.rows !== null && !(v.shape.length === 0 || (rows.length === 1 && v.data?.length === 1));
  const reduction = perRow ? 'none' : found.red?.how === 'mean' ? 'mean' : found.red ? 'sum' : 'mean';
  const ctx = ev.ctx;
  const call = formulaCall(ev, node, origin);
  const data = v.data as Float64Array;
  const pair: PairInput = {
    recogniser: lead.form,
    kind: call.kind,
    input,
    target,
    reads: lead.via !== 'softmax' ? 'log_probs' : 'logits',
    options: found.weight ? { reduction, weight: found.weight } : { reduction },
    call,
    formula: {
      lib: formulaLibraryOf(v, src),
      scaledBy: found.red?.how === 'scaled' ? found.red.k : null,
      guard: lead.via === 'softmax' ? undefined : guardOf(src, undefined),
    },
    ...assumedOf(v, src, lead.tgt),
  };
  if (targetIndex !== undefined) pair.targetIndex = targetIndex;
  if (perRow) pair.formulaLosses = Array.from(data);
  else pair.formulaValue = data[0];
  return ctx.addPair(pair);
}

/**
 * The ε and the clip the formula applies to `src` before its log: `src` is `p + ε` (values.ts
 * `plusOf`) of `p`, and `p` (or `src` itself) a clip of the code's numbers; `eps` is an ε the
 * formula's terms carry themselves (the binary log loss's log(p + ε) and log(1 − p + ε)).
 */
function guardOf(src: ArrayValue, eps: number | undefined): FormulaGuard | undefined {
  const epsilon = eps ?? src.plusOf?.by;
  const clip = (src.plusOf?.root ?? src).clippedTo;
  if (epsilon === undefined && clip === undefined) return undefined;
  return { ...(epsilon !== undefined ? { epsilon } : {}), ...(clip ? { clip: { ...clip } } : {}) };
}

/** The loss call a formula's pair names: the expression itself, or the user function it came from. */
function formulaCall(ev: Evaluation, node: Node, origin: FormulaOrigin): LossCall {
  return ev.ctx.lossCallAt(origin.callee ? 'user_function' : 'formula', node.start, node.end, origin.callee);
}

/**
 * The pair of a binary log loss −(y·log p + (1 − y)·log(1 − p)): its number is the code's own
 * arithmetic; its torch computation (for the breakdown) is the NLL of log([1 − p, p]) at class y,
 * or with the probabilities [1 − y, y] when y is not 0 or 1. Null (no pair) when a label or a
 * probability is outside [0, 1]: that is no binary cross-entropy, whatever the code computes.
 */
function binaryPair(ev: Evaluation, v: ArrayValue, node: Node, origin: FormulaOrigin, found: Found): PairRef | null {
  const { lead, flats } = leadOf(found);
  const src = lead.src;
  const tgt = lead.tgt;
  const pd = src.data;
  const yd = tgt?.data;
  if (!tgt || !pd || !yd || !v.data || flats.some((f) => f < 0 || f >= pd.length || f >= yd.length)) return null;
  const dtype = kindOf(v) === 'float32' ? 'float32' : 'float64';
  const round = rounder(dtype);
  const readP = rounder(kindOf(src));
  const n = flats.length;
  const probs = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  // ε inside both logs (`log(p + eps)`, `log(1 - p + eps)`): the breakdown's probabilities are those two.
  const eps = lead.eps;
  for (let k = 0; k < n; k++) {
    const p = readP(pd[flats[k]]);
    const y = yd[flats[k]];
    if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) return null;
    probs[2 * k] = eps === undefined ? round(1 - p) : round(round(1 - p) + eps);
    probs[2 * k + 1] = eps === undefined ? p : round(p + eps);
    labels[k] = y;
  }
  const hard = labels.every((y) => y === 0 || y === 1);
  const input = withArray(src, {
    data: logElementwise(probs, dtype),
    shape: [n, 2],
    dtype,
    integerTensor: false,
    transform: null,
    name: origin.argName ?? origin.args?.find((a) => a.site === src.site.id)?.name ?? src.name,
    terms: undefined,
    view: undefined,
  });
  const target = withArray(tgt, {
    data: hard ? labels : Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? labels[i >> 1] : 1 - labels[i >> 1])),
    shape: hard ? [n] : [n, 2],
    integerTensor: hard,
    dtype: hard ? null : dtype,
    terms: undefined,
    view: undefined,
  });
  const { perRow, reduction } = reductionOf(found, v, n);
  // Without its minus sign the value is the log-likelihood: the code's number, and no torch breakdown
  // (torch's BCE is the negation, which this code does not compute).
  const likelihood = !lead.neg;
  const pair: PairInput = {
    recogniser: likelihood ? 'formula.binary_log_likelihood' : 'formula.binary_log_loss',
    kind: origin.callee ? 'user_function' : 'formula',
    input,
    target,
    reads: 'log_probs',
    options: { reduction },
    call: formulaCall(ev, node, origin),
    formula: {
      lib: formulaLibraryOf(v, src),
      scaledBy: found.red?.how === 'scaled' ? found.red.k : null,
      guard: guardOf(src, eps),
    },
    ...assumedOf(v, src, tgt),
  };
  if (perRow) pair.formulaLosses = Array.from(v.data);
  else pair.formulaValue = v.data[0];
  if (likelihood) pair.breakdown = false;
  return ev.ctx.addPair(pair);
}

/**
 * The pair of max(x, 0) − x·z + log(1 + e^−|x|) per element (3.425): its number is the code's own
 * arithmetic; its torch computation is CrossEntropyLoss of the rows [0, x] at class z (softplus(x) − x·z,
 * BCEWithLogitsLoss's value), or with the probabilities [1 − z, z]. No pair for a z outside [0, 1].
 */
function logitsPair(ev: Evaluation, v: ArrayValue, node: Node, origin: FormulaOrigin, found: Found): PairRef | null {
  const { lead, flats } = leadOf(found);
  const [src, tgt] = [lead.src, lead.tgt];
  const [xd, zd] = [src.data, tgt?.data];
  if (!tgt || !xd || !zd || !v.data || flats.some((f) => f < 0 || f >= xd.length || f >= zd.length)) return null;
  const dtype = kindOf(v) === 'float32' ? 'float32' : 'float64';
  const [readX, n] = [rounder(kindOf(src)), flats.length];
  const rows = new Float64Array(2 * n);
  const z = Float64Array.from(flats, (f) => zd[f]);
  if (z.some((y) => !(y >= 0 && y <= 1))) return null;
  flats.forEach((f, k) => (rows[2 * k + 1] = readX(xd[f])));
  const hard = z.every((y) => y === 0 || y === 1);
  const name = origin.argName ?? origin.args?.find((a) => a.site === src.site.id)?.name ?? src.name;
  const blank = { terms: undefined, view: undefined, transform: null };
  const input = withArray(src, { ...blank, data: rows, shape: [n, 2], dtype, integerTensor: false, name });
  const target = withArray(tgt, {
    ...blank,
    data: hard ? z : Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? z[i >> 1] : 1 - z[i >> 1])),
    shape: hard ? [n] : [n, 2],
    integerTensor: hard,
    dtype: hard ? null : dtype,
  });
  const { perRow, reduction } = reductionOf(found, v, n);
  const pair: PairInput = {
    recogniser: 'formula.binary_logits_loss',
    kind: origin.callee ? 'user_function' : 'formula',
    input,
    target,
    reads: 'logits',
    options: { reduction },
    call: formulaCall(ev, node, origin),
    formula: { lib: formulaLibraryOf(v, src), scaledBy: found.red?.how === 'scaled' ? found.red.k : null },
    ...assumedOf(v, src, tgt),
  };
  if (perRow) pair.formulaLosses = Array.from(v.data);
  else pair.formulaValue = v.data[0];
  return ev.ctx.addPair(pair);
}

/**
 * Is what a function named as a loss returned (a scalar or a vector) the code's own arithmetic, not
 * a formula recognised? Per-row losses written by hand (`-torch.log(y_hat[range(len(y_hat)), y])`,
 * d2l's `cross_entropy`) are kept as the array they are: the statement that calls the function
 * makes them its pair, or reduces them first, as for the same formula written inline. `nested`: called from
 * inside another function (a `reduce` callback): one element's step of a sum (`q * Math.log2(1 / p)`, a helper
 * named `crossEntropyFromEvent`) is kept for the caller to sum (3.418), not refused as a loss of its own.
 */
export function ownArithmetic(v: ArrayValue, nested = false): boolean {
  if (!v.data || v.shape.length > 1) return false;
  const step = v.shape.length === 0 && v.terms?.length === 1 ? v.terms[0] : null;
  if (nested && step && (step.t === 'tlogp' || step.t === 'btail' || step.t === 'logp')) return false;
  return v.data.length === 1 || !lossTerms(v)?.rows;
}

/** The value a statement ends with: a hand-written loss becomes its pair; anything else is kept. */
export function recogniseFormula(ev: Evaluation, v: Value, node: Node, origin: FormulaOrigin): Value {
  if (v.kind !== 'array' || !v.array.terms) return v;
  const ref = formulaPair(ev, v.array, node, origin);
  return ref ? { kind: 'loss', pair: ref } : v;
}
