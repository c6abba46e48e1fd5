/**
 * What each hand-written cross-entropy form (formulas.ts) computes in torch's terms: one entry per form,
 * shown in the hover and the panel beside the pair's number.
 */
import type { TorchMapping } from '../catalogue';
import type { FormulaForm } from '../terms';

const oneSample = 'the last axis (one sample, or dim 1 of an (N, C) array)';

/** The hand-written forms, by catalogue id. */
export const formulaCatalogue: Record<FormulaForm, TorchMapping> = {
  'formula.log_sum_exp_minus_pick': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: 'log(Σ exp(x)) − x[t] as written: no max shift, the code’s own summation order and dtype',
  },
  'formula.logsumexp_minus_pick': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: 'logsumexp(x) − x[t] in the code’s dtype',
  },
  'formula.neg_log_softmax_pick': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−log(exp(x[t]) / Σ exp(x)) as written: no max shift',
  },
  'formula.log_softmax_pick': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−log_softmax(x)[t] picked by hand (indexing, gather): torch’s NLL of log_softmax, i.e. CrossEntropyLoss, with the reduction as written',
  },
  'formula.nll_of_probs': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−log p[t] on probabilities (p[range(n), y], pick, gather): torch’s NLLLoss of log(p), with any ε added to p as written, never a softmax of p',
  },
  'formula.mean_nll_of_written_probs': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'mean',
    classAxis: 'none: each number written is one sample’s probability of its true class',
    note: '−(log p₁ + … + log p_k) / k on probabilities written as numbers (recognisers/writtenLogs.ts): torch’s NLLLoss (mean) of log p, every sample’s class the one column given; the number is the code’s own arithmetic',
  },
  'formula.mean_neg_log_sigmoid': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'mean',
    classAxis: 'none: each number is one element’s logit, its label written as the sign (−log σ(x) is label 1 at x)',
    note: '(f(x₁) + … + f(x_k)) / k with f returning −log σ(x) (recognisers/negLogSigmoid.ts): torch’s BCEWithLogitsLoss (mean) of the logits written with labels 1, shown as CrossEntropyLoss of the rows [0, x] at class 1; the number is the code’s own arithmetic',
  },
  'formula.nll_worked_by_hand': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'mean',
    classAxis: 'none: each number under a log is one sample’s probability of its true class',
    note: '−log p worked by hand in page text (`-log(0.7) = 0.357`, a one-hot expansion, a sum over samples; workedLogs.ts): torch’s NLLLoss of log p, every sample’s class the one column given, the mean of one term or the sum written; the log is the natural log',
  },
  'formula.onehot_sum_log_softmax': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−Σ t · log softmax(x): CrossEntropyLoss with probability (one-hot) targets, the reduction as written',
  },
  'formula.onehot_sum_log_probs': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−Σ t · log p on probabilities (the "Deep Learning from Scratch" form, ε inside the log as written): NLL of log(p) with probability targets; a division by the batch size is the mean',
  },
  'formula.cross_entropy_bits': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: oneSample,
    note: '−Σ t · log₂ q on the numbers given: a cross-entropy in bits, the code’s own arithmetic (no softmax, no normalising); torch’s NLL of log(q) is the same in nats, i.e. this value × ln 2 (the breakdown below is in nats)',
  },
  'formula.binary_log_loss': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: 'none: every element of p is one sample’s probability of class 1',
    note: '−(y · log p + (1 − y) · log(1 − p)) per element, the reduction as written: torch’s BCELoss without its clamp of each log at −100; in the breakdown, the NLL of log([1 − p, p]) at class y (or with the probabilities [1 − y, y])',
  },
  'formula.binary_logits_loss': {
    library: 'hand-written',
    reads: 'logits',
    defaultReduction: 'none',
    classAxis: 'none: every element of x is one sample’s logit of class 1',
    note: 'max(x, 0) − x · z + log(1 + e^−|x|) per element, the reduction as written: torch’s BCEWithLogitsLoss; in the breakdown, CrossEntropyLoss of the rows [0, x] at class z (or with the probabilities [1 − z, z])',
  },
  'formula.binary_log_likelihood': {
    library: 'hand-written',
    reads: 'log_probs',
    defaultReduction: 'none',
    classAxis: 'none: every element of p is one sample’s probability of class 1',
    note: 'y · log p + (1 − y) · log(1 − p) without the minus sign, returned by a function named as a loss: the number is what the code returns (the log-likelihood, ≤ 0); the binary cross-entropy is its negation, so no torch breakdown is shown',
  },
};
