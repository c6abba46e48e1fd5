import { jsonNumber, formatTorchScalar } from './format';
import { reductionBreakdown, sampleBreakdown, type LossResult, type Prepared } from './kernel';
import { toNested } from './ndBuilder';

/**
 * The CLI's `compute` response object (docs/cli.md), JSON-ready: non-finite numbers are the
 * strings "NaN", "Infinity", "-Infinity".
 */
export function computeResponse(
  p: Prepared,
  res: LossResult,
  opts: { steps?: boolean; grad?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    loss: p.reduction === 'none' ? toNested(res.losses, p.lossShape, jsonNumber) : jsonNumber(res.loss),
    dtype: p.dtype,
    reduction: p.reduction,
    target_kind: p.targetKind,
    input_kind: p.inputKind,
    input_shape: p.inputShape,
    printed: p.reduction === 'none' ? undefined : formatTorchScalar(res.loss, p.dtype),
  };
  if (opts.steps) out.steps = stepsJson(p, res);
  if (opts.grad && res.grad) out.grad = toNested(res.grad, p.inputShape, jsonNumber);
  return out;
}

/**
 * Most numbers one `compute` response may hold: 2^24, about 350 MB of JSON. The steps repeat
 * every input element about nine times (softmax and log-softmax twice, exp, shifted, target
 * distribution, weight, contributions), and building them takes memory in proportion, so
 * a request is refused before its response is built rather than failing half-way.
 */
export const maxResponseNumbers = 1 << 24;

/**
 * An upper bound on the numbers {@link computeResponse} writes for `p`: the loss (one per element
 * with reduction 'none') and the input's shape, the gradient (one per input element), and the steps (per input element:
 * softmax and log-softmax, in the batch arrays and per sample, plus up to five more per-class
 * arrays per sample; per sample: about a dozen scalars and its position; the reduction's few).
 */
export function responseNumbers(p: Prepared, opts: { steps?: boolean; grad?: boolean }): number {
  const elements = p.N * p.C * p.S;
  const samples = p.N * p.S;
  let n = samples + p.inputShape.length;
  if (opts.grad) n += elements;
  if (opts.steps) n += 9 * elements + samples * (12 + p.inputShape.length) + 8;
  return n;
}

function stepsJson(p: Prepared, res: LossResult): Record<string, unknown> {
  const E = p.N * p.S;
  const samples = [];
  const max = new Float64Array(E);
  const lse = new Float64Array(E);
  const nll = new Float64Array(E);
  const softmax = new Float64Array(p.source.length);
  const logSoftmax = new Float64Array(p.source.length);
  for (let e = 0; e < E; e++) {
    const b = sampleBreakdown(p, res, e);
    const base = Math.floor(e / p.S) * p.C * p.S + (e % p.S);
    for (let c = 0; c < p.C; c++) {
      softmax[base + c * p.S] = b.softmax[c];
      logSoftmax[base + c * p.S] = b.logSoftmax[c];
    }
    max[e] = b.max ?? NaN;
    lse[e] = b.logSumExp ?? NaN;
    nll[e] = b.loss;
    samples.push({
      position: b.position,
      target: b.target,
      ignored: b.ignored,
      max: nullable(b.max),
      shifted: arr(b.shifted),
      exp: arr(b.exp),
      sum_exp: nullable(b.sumExp),
      logsumexp: nullable(b.logSumExp),
      softmax: arr(b.softmax),
      log_softmax: arr(b.logSoftmax),
      target_distribution: arr(b.targetDistribution),
      weight: arr(b.weight),
      contributions: arr(b.contributions),
      nll: jsonNumber(b.loss),
      denominator_share: jsonNumber(b.denominatorShare),
    });
  }
  const r = reductionBreakdown(p, res);
  const logits = p.inputKind === 'logits';
  return {
    max: logits ? toNested(max, p.lossShape, jsonNumber) : null,
    logsumexp: logits ? toNested(lse, p.lossShape, jsonNumber) : null,
    softmax: toNested(softmax, p.inputShape, jsonNumber),
    log_softmax: toNested(logSoftmax, p.inputShape, jsonNumber),
    nll: toNested(nll, p.lossShape, jsonNumber),
    reduction: {
      kind: r.reduction,
      numerator: jsonNumber(r.numerator),
      denominator: jsonNumber(r.denominator),
      loss: jsonNumber(r.loss),
      count: r.count,
      ignored: r.ignoredCount,
    },
    samples,
  };
}

function arr(a: number[] | null): (number | string)[] | null {
  return a ? a.map(jsonNumber) : null;
}

function nullable(v: number | null): number | string | null {
  return v === null ? null : jsonNumber(v);
}
