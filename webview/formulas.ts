/**
 * The tooltip of every number: the formula with the actual values, e.g.
 * `exp(0.8050 - 0.9983) = exp(-0.1933) = 0.8242`. Pure functions of the snapshot, so vitest
 * checks them without a DOM. Words go through `t` (./l10n); the mathematics is the same in
 * every language.
 */
import type { ReductionCard, SampleView, StabilityCard } from '../src/protocol/webview';
import { count, num, paren } from './format';
import type { Translate } from './l10n';

/** The rows of the step table. */
export type StepKind = 'x' | 'shifted' | 'exp' | 'sumExp' | 'p' | 'logp' | 'q' | 'qlogp' | 'w' | 'contrib' | 'grad';

/** One step row as the table shows it. */
export interface StepRowSpec {
  kind: StepKind;
  /** The row header. */
  label: string;
  /** One value per shown class, or a single value for the whole row (Σexp). */
  values: number[] | number;
  /** Σ over the classes not shown, when the row has a meaningful one. */
  hidden?: number;
}

/** The step rows present for this sample, in order. */
export function stepRowSpecs(s: SampleView, t: Translate): StepRowSpec[] {
  const rows: StepRowSpec[] = [];
  const logProbs = s.inputKind === 'log_probs';
  rows.push({ kind: 'x', label: logProbs ? t('log p (input)') : t('logit x'), values: s.logits });
  if (s.shifted) rows.push({ kind: 'shifted', label: 'x - max', values: s.shifted });
  if (s.exp) rows.push({ kind: 'exp', label: 'exp(x - max)', values: s.exp });
  if (s.sumExp !== null) rows.push({ kind: 'sumExp', label: 'Σexp', values: s.sumExp });
  rows.push({ kind: 'p', label: t('softmax p'), values: s.softmax, hidden: s.hiddenSoftmax });
  if (!logProbs) rows.push({ kind: 'logp', label: 'log p', values: s.logSoftmax });
  rows.push({ kind: 'q', label: t('target q'), values: s.q });
  rows.push({ kind: 'qlogp', label: '-q·log p', values: s.qLogP });
  rows.push({ kind: 'w', label: t('weight w'), values: s.weight });
  const weighted = s.weight.some((w) => w !== 1);
  if (weighted)
    rows.push({ kind: 'contrib', label: '-w·q·log p', values: s.contributions, hidden: s.hiddenContribution });
  else rows[rows.length - 2].hidden = s.hiddenContribution;
  if (s.grad) rows.push({ kind: 'grad', label: '∂L/∂x', values: s.grad });
  return rows;
}

/** Index of the target among the shown classes, or -1. */
function targetColumn(s: SampleView): number {
  return s.target === null ? -1 : s.classIndices.indexOf(s.target);
}

/** The terms of a sum over the shown classes, shortened: `1.1278 + 0.8242 + … + 0.5893`. */
function terms(values: readonly number[], d: number, total: number): string {
  const parts =
    values.length <= 6
      ? values.map((v) => num(v, d))
      : [num(values[0], d), num(values[1], d), '…', num(values[values.length - 1], d)];
  if (values.length < total) parts.push(`… (${total - values.length})`);
  return parts.join(' + ').replace(/\+ -/g, '- ');
}

/** The tooltip of the step table cell (row `kind`, shown class number `j`). */
export function stepTooltip(s: SampleView, kind: StepKind, j: number, d: number, t: Translate): string {
  const c = s.classIndices[j];
  const x = s.logits[j];
  const isTarget = c === s.target;
  switch (kind) {
    case 'x':
      if (s.inputKind === 'log_probs')
        return `log p[${c}] = ${num(x, d)}\n${t('Given as input (NLLLoss): no softmax is applied.')}`;
      return `x[${c}] = ${num(x, d)}${c === s.argmax ? `\n${t('The largest logit: max = {0}', num(s.max, d))}` : ''}\n${t('The logit of class {0} as written in the code.', c)}`;
    case 'shifted':
      return `x - max = ${num(x, d)} - ${paren(s.max, d)} = ${num(s.shifted?.[j], d)}\n${t('Subtracting the max (class {0}) keeps every exp ≤ 1, so nothing overflows.', s.argmax ?? '?')}`;
    case 'exp':
      return `exp(${num(x, d)} - ${paren(s.max, d)}) = exp(${num(s.shifted?.[j], d)}) = ${num(s.exp?.[j], d)}`;
    case 'sumExp':
      return (
        `Σexp = Σ_c exp(x_c - max) = ${terms(s.exp ?? [], d, s.C)} = ${num(s.sumExp, d)}\n` +
        `log Σexp = ${num(s.logSumExp !== null && s.max !== null ? s.logSumExp - s.max : null, d)}; ` +
        `logsumexp(x) = max + log Σexp = ${num(s.logSumExp, d)}`
      );
    case 'p':
      if (s.inputKind === 'log_probs') return `p = exp(log p) = exp(${num(x, d)}) = ${num(s.softmax[j], d)}`;
      return `p = exp(x - max) / Σexp = ${num(s.exp?.[j], d)} / ${num(s.sumExp, d)} = ${num(s.softmax[j], d)}`;
    case 'logp':
      return (
        `log p = (x - max) - log Σexp = ${num(s.shifted?.[j], d)} - ${paren(s.logSumExp !== null && s.max !== null ? s.logSumExp - s.max : null, d)} = ${num(s.logSoftmax[j], d)}\n` +
        `= log(${num(s.softmax[j], d)})`
      );
    case 'q': {
      if (s.ignored) return `q = ${num(s.q[j], d)}\n${t('This sample is ignored (target = ignore_index): it adds 0.')}`;
      if (s.target === null) {
        return s.labelSmoothing > 0
          ? `q = (1 - ε)·q_given + ε/C = (1 - ${num(s.labelSmoothing, d)})·q_given + ${num(s.labelSmoothing, d)}/${s.C} = ${num(s.q[j], d)}`
          : `q = ${num(s.q[j], d)}\n${t('Given by the target tensor (class probabilities).')}`;
      }
      if (s.labelSmoothing > 0) {
        return `q = (1 - ε)·[c = t] + ε/C = (1 - ${num(s.labelSmoothing, d)})·${isTarget ? 1 : 0} + ${num(s.labelSmoothing, d)}/${s.C} = ${num(s.q[j], d)}`;
      }
      return `q = ${isTarget ? 1 : 0}\n${isTarget ? t('Class {0} is the target: one-hot 1.', c) : t('Not the target: one-hot 0.')}`;
    }
    case 'qlogp':
      if (s.q[j] === 0 || s.ignored)
        return `-q·log p = 0\n${t('q = 0, so this class adds nothing (0·log p counts as 0).')}`;
      return `-q·log p = -${num(s.q[j], d)} × ${paren(s.logSoftmax[j], d)} = ${num(s.qLogP[j], d)}`;
    case 'w':
      return s.weight.every((w) => w === 1)
        ? `w = 1\n${t('No class weight: every class counts once.')}`
        : `w[${c}] = ${num(s.weight[j], d)}\n${t('weight= rescales the loss of each class.')}`;
    case 'contrib':
      return `-w·q·log p = -${num(s.weight[j], d)} × ${num(s.q[j], d)} × ${paren(s.logSoftmax[j], d)} = ${num(s.contributions[j], d)}`;
    case 'grad': {
      const D = s.gradDenominator;
      const why = t(
        'Backpropagation starts here: how much the loss changes per unit of x[{0}]. Softmax and cross-entropy together give this simple form.',
        c,
      );
      const den = t('D = {0} (the denominator of the mean; 1 for sum or none).', count(D, d));
      if (s.ignored) return `∂L/∂x[${c}] = 0\n${t('This sample is ignored (target = ignore_index): it adds 0.')}`;
      if (s.target !== null && s.labelSmoothing === 0) {
        const wt = s.weightedTargetSum;
        return `∂L/∂x[${c}] = w[t]·(p - q) / D = ${count(wt, d)} × (${num(s.softmax[j], d)} - ${isTarget ? 1 : 0}) / ${count(D, d)} = ${num(s.grad?.[j], d)}\n${den}\n${why}`;
      }
      return `∂L/∂x[${c}] = (p·Σ_k w_k q_k - w·q) / D = (${num(s.softmax[j], d)} × ${num(s.weightedTargetSum, d)} - ${num(s.weight[j], d)} × ${num(s.q[j], d)}) / ${count(D, d)} = ${num(s.grad?.[j], d)}\n${den}\n${why}`;
    }
  }
}

/** Tooltip of the "others" column: what the classes not shown add up to. */
export function hiddenTooltip(s: SampleView, kind: StepKind, d: number, t: Translate): string {
  const hidden = s.C - s.classIndices.length;
  if (kind === 'p') return `Σ p = ${num(s.hiddenSoftmax, d)}\n${t('{0} classes not shown.', hidden)}`;
  return `Σ -w·q·log p = ${num(s.hiddenContribution, d)}\n${t('{0} classes not shown.', hidden)}`;
}

/** Tooltip of the sample's loss. */
export function sampleLossTooltip(s: SampleView, d: number, t: Translate): string {
  if (s.ignored) return `loss = 0\n${t('This sample is ignored (target = ignore_index): it adds 0.')}`;
  const j = targetColumn(s);
  if (s.target !== null && s.labelSmoothing === 0 && j >= 0) {
    const w = s.weight[j];
    const lp = s.logSoftmax[j];
    const p = s.softmax[j];
    return w === 1
      ? `loss = -log p[${s.target}] = -log(${num(p, d)}) = -${paren(lp, d)} = ${num(s.loss, d)}`
      : `loss = -w[${s.target}]·log p[${s.target}] = -${num(w, d)} × ${paren(lp, d)} = ${num(s.loss, d)}`;
  }
  return `loss = Σ_c -w_c·q_c·log p_c = ${num(s.loss, d)}\n${t('A sum over all {0} classes: every class with q > 0 adds a share.', s.C)}`;
}

/** The line under the step table: the sample's loss in one formula. */
export function sampleLossText(s: SampleView, d: number, t: Translate): string {
  if (s.ignored) return t('Ignored sample: loss 0');
  const j = targetColumn(s);
  if (s.target !== null && s.labelSmoothing === 0 && j >= 0 && s.weight[j] === 1) {
    return `loss = -log p[${s.target}] = -log(${num(s.softmax[j], d)}) = ${num(s.loss, d)}`;
  }
  return `loss = Σ -w·q·log p = ${num(s.loss, d)}`;
}

/** The reduction in one formula: `mean = Σ loss / Σ w[t] = 4.7039 / 2 = 2.3519`. */
export function reductionFormula(
  r: ReductionCard,
  totals: { numerator: number; denominator: number; loss: number },
  d: number,
  t: Translate,
): string {
  if (r.reduction === 'sum') return `sum = Σ loss = ${num(totals.loss, d)}`;
  if (r.reduction === 'none') return t('none: one loss per sample (their sum is {0})', num(totals.loss, d));
  const shown = r.losses.length === r.count && r.count <= 4 && r.ignoredCount === 0;
  const num_ = shown ? `(${r.losses.map((v) => num(v, d)).join(' + ')})` : num(totals.numerator, d);
  return `mean = Σ loss / D = ${num_} / ${count(totals.denominator, d)} = ${num(totals.loss, d)}`;
}

/**
 * What D of the mean is, with its value, in words: the line under the formula (`mean = Σ loss / D`
 * alone never says what is divided by). Null for sum and none, which do not divide.
 */
export function denominatorText(
  r: ReductionCard,
  denominator: number,
  weighted: boolean,
  probabilities: boolean,
  d: number,
  t: Translate,
): string | null {
  if (r.reduction !== 'mean') return null;
  const D = count(denominator, d);
  if (probabilities) return t('D = {0}: the number of samples (probability targets count every sample).', D);
  const kept = r.count - r.ignoredCount;
  const text = weighted
    ? t('D = {0}: the sum of the class weights w[target] of the {1} non-ignored targets.', D, kept)
    : t('D = {0}: the number of non-ignored targets.', D);
  return r.ignoredCount ? `${text} ${t('{0} ignored samples add 0 and are left out of D.', r.ignoredCount)}` : text;
}

/** Tooltip of the reduction formula: where D comes from. */
export function reductionTooltip(r: ReductionCard, weighted: boolean, probabilities: boolean, t: Translate): string {
  if (r.reduction !== 'mean') return t('sum and none do not divide: D = 1.');
  if (probabilities) return t('With probability targets the mean divides by the number of samples N·d1·…·dK.');
  const ignored = r.ignoredCount ? `\n${t('{0} ignored samples add 0 and are left out of D.', r.ignoredCount)}` : '';
  return (
    (weighted
      ? t('With weight=, the mean divides by Σ w[target] of the kept samples, not by N.')
      : t('D = the number of kept samples.')) + ignored
  );
}

/** Tooltip of one naive / shifted value of the stability card. */
export function stabilityTooltip(
  st: StabilityCard,
  j: number,
  which: 'x' | 'naiveExp' | 'naiveP' | 'stableP',
  d: number,
  t: Translate,
): string {
  const c = st.classIndices[j];
  const xk = st.shiftedLogits[j];
  switch (which) {
    case 'x':
      return `x[${c}] + k = x[${c}] + ${paren(st.shift, d)} = ${num(xk, d)} (float32)`;
    case 'naiveExp':
      return `exp(${num(xk, d)}) = ${num(st.naiveExp[j], d)}${st.naiveExp[j] === Infinity ? `\n${t('float32 overflows above exp(88.72) ≈ 3.4e38.')}` : ''}`;
    case 'naiveP':
      return `exp(x + k) / Σ exp(x + k) = ${num(st.naiveExp[j], d)} / ${num(st.naiveSum, d)} = ${num(st.naiveSoftmax[j], d)}`;
    case 'stableP':
      return `exp(x + k - max) / Σ exp(x + k - max) = exp(${num(xk, d)} - ${paren(st.stableMax, d)}) / ${num(st.stableSumExp, d)} = ${num(st.stableSoftmax[j], d)}`;
  }
}
