/**
 * A loss worked by hand from its per-sample values typed in (docs/detection.md 3.88): a script prints
 * `-log_softmax(logits)`, copies the value at each row's target from the output, and averages them,
 * `print((0.6382 + 0.1698) / 2)  # 0.4040`. The line computes nothing from the source's
 * arrays, so on its own it is a number like any other; it is the loss of a pair above when every
 * number typed is that pair's loss of the same row, in row order, to the digits typed. The comment
 * is then a claim about that loss, judged against what the line prints (the mean of the numbers as
 * typed: rounding them may move the last digit, and the line is right to print what it computes),
 * never a pair of its own.
 *
 * Only a mean of losses of a pair with a number: index targets, reduction 'mean', no weights, no
 * ignored target, no label smoothing, logits or log-probabilities of shape (N, C) with N the count of
 * numbers typed and the divisor. Each number must have at least three decimals (a coarser one matches
 * too much by chance) and sit within half a unit of its last digit of the row's loss.
 */
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import type { Value } from './values';

/** Numbers typed in one mean at most. */
const maxTerms = 64;
/** Pairs looked at per mean (the most recent first). */
const maxPairs = 16;
/** Elements read per pair looked at. */
const maxElements = 4096;
/** Means looked at per text (each reads up to maxPairs · maxElements numbers). */
const maxMeans = 64;

const means = new WeakMap<object, number>();

/** The numbers of `a + b + …` (each a literal with at least three decimals), or null. */
function typedTerms(ev: Evaluation, node: Node, out: { value: number; half: number }[]): boolean {
  if (out.length > maxTerms) return false;
  if (node.type === 'binary' && node.op === '+')
    return typedTerms(ev, node.left, out) && typedTerms(ev, node.right, out);
  if (node.type !== 'number' || node.integer) return false;
  const text = ev.ctx.text.slice(node.start, node.end);
  const m = /^\d*\.(\d+)$/.exec(text);
  if (!m || m[1].length < 3) return false;
  out.push({ value: node.value, half: 0.5 * Math.pow(10, -m[1].length) });
  return true;
}

/** Per-row losses of an (N, C) request: lse(x) − x[t] of logits, −x[t] of log-probabilities. */
function rowLosses(input: ArrayLike<number>, C: number, target: ArrayLike<number>, logits: boolean): number[] | null {
  const out: number[] = [];
  for (let r = 0; r < target.length; r++) {
    const t = target[r];
    if (!Number.isInteger(t) || t < 0 || t >= C) return null;
    let lse = 0;
    if (logits) {
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, input[r * C + c]);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(input[r * C + c] - m);
      lse = m + Math.log(s);
    }
    out.push(lse - input[r * C + t]);
  }
  return out;
}

/** `(a + b + …) / n` whose numbers are the per-sample losses of a pair above: its value, tied to that pair; else null. */
export function typedMeanOfLosses(ev: Evaluation, node: Node): Value | null {
  if (node.type !== 'binary' || node.op !== '/' || node.right.type !== 'number' || !node.right.integer) return null;
  const terms: { value: number; half: number }[] = [];
  if (!typedTerms(ev, node.left, terms) || terms.length < 2 || node.right.value !== terms.length) return null;
  const ctx = ev.ctx;
  const seen = means.get(ctx) ?? 0;
  if (seen >= maxMeans) return null;
  means.set(ctx, seen + 1);
  const pairs = ctx.pairs;
  for (let i = pairs.length - 1; i >= 0 && i >= pairs.length - maxPairs; i--) {
    const p = pairs[i];
    const req = p.request;
    if (!req || p.unverified !== null || p.error !== null || p.library !== undefined) continue;
    if (req.reduction !== 'mean' || req.weight || req.labelSmoothing !== 0) continue;
    if (req.inputKind !== 'logits' && req.inputKind !== 'log_probs') continue;
    const shape = req.input.shape;
    if (shape.length !== 2 || shape[0] !== terms.length || shape[0] * shape[1] > maxElements) continue;
    if (!req.target.integral || req.target.shape.length !== 1) continue;
    if (Array.from(req.target.data).some((t) => t === req.ignoreIndex)) continue;
    const losses = rowLosses(req.input.data, shape[1], req.target.data, req.inputKind === 'logits');
    if (!losses || !terms.every((t, r) => Math.abs(t.value - losses[r]) <= t.half + 1e-6)) continue;
    const ref = ctx.pairRefs[p.id];
    const printed = ev.evaluate(node);
    if (ref && printed.kind === 'number')
      return { kind: 'scalar', expr: { op: 'const', value: printed.value }, pairs: [ref], dtype: 'float64' };
  }
  return null;
}
