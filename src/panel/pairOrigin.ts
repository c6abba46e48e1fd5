/**
 * The panel's account of a pair whose number is not torch's own loss: another library's call
 * (Keras, tf.nn, tfjs, optax, MLX, scikit-learn, PaddlePaddle) or a formula written by hand (torch or numpy ops). It names the
 * call as the library spells it and says, one sentence at a time, how the library's semantics map
 * to torch's CrossEntropyLoss: what it reads (logits or probabilities), how it clips, how it
 * smooths labels and reduces. Pure apart from the `l10n` it is handed, so tests check every line.
 */
import type { l10n } from 'vscode';
import type { PairAnalysis } from '../core/detection';
import {
  formulaWords,
  nllOfProbabilityTargets,
  pairIdentity,
  torchExport,
  type LibraryCallOptions,
} from '../core/libraryView';
import { noTorchCopyText, pairTitle } from '../core/sharedText';
import { reasonText } from '../core/reasonText';
import { maxOriginLosses, maxOriginNotes, type PairOrigin } from '../protocol/webview';

/** What of `vscode.l10n` the notes use (the strings are extracted from `l10n.t('…')` calls). */
export type L10n = Pick<typeof l10n, 't'>;

/** An epsilon as people write it: `1e-7`, `2.22e-16`. */
function epsText(eps: number): string {
  return String(Number(eps.toPrecision(3)));
}

/** What the library's rule reads and computes per example. */
function ruleNote(o: LibraryCallOptions, name: string, l10n: L10n): string {
  const eps = epsText(o.epsilon);
  switch (o.rule) {
    case 'softmax':
      return l10n.t(
        '{0} takes logits here, as torch does: each example’s loss is logsumexp(x) − x[target], or −Σ y·log_softmax(x) for probability labels.',
        name,
      );
    case 'nll':
      return l10n.t('{0} reads these values as log-probabilities, like torch’s NLLLoss: the loss is −x[target].', name);
    case 'log_probabilities':
      return l10n.t(
        '{0} takes probabilities here and sums −y·log p as they are, without dividing by the row sum or clipping (a zero gives inf or NaN); torch’s CrossEntropyLoss would apply log_softmax to them instead.',
        name,
      );
    case 'keras_probabilities':
      return l10n.t(
        'Keras takes probabilities unless from_logits=True: it divides each row by its sum, clips p to [{0}, 1 − {0}] and sums −y·log p. torch’s CrossEntropyLoss would apply log_softmax to these values instead.',
        eps,
      );
    case 'keras_sparse_tf':
      return l10n.t(
        'Keras takes probabilities unless from_logits=True: it clips them to [{0}, 1 − {0}] and uses their log as logits, so each loss is −log(p[target] / Σ p) after clipping. torch’s CrossEntropyLoss would apply log_softmax to the probabilities themselves.',
        eps,
      );
    case 'tfjs_layers':
      return o.fromLogits
        ? l10n.t('With fromLogits tfjs-layers applies a softmax, clips p to [{0}, 1 − {0}] and sums −y·log p.', eps)
        : l10n.t(
            'tfjs-layers takes probabilities unless fromLogits is true: it divides each row by its sum, clips p to [{0}, 1 − {0}] and sums −y·log p, where torch would apply log_softmax.',
            eps,
          );
    case 'tfjs_layers_sparse':
      return l10n.t(
        'tfjs-layers clips the raw outputs to [{0}, 1 − {0}] first (logits too), one-hot encodes the floored labels, then continues as categoricalCrossentropy.',
        eps,
      );
    case 'sklearn':
      return l10n.t(
        'scikit-learn’s log_loss takes probabilities: it clips them to [{0}, 1 − {0}], divides each row by its sum and takes −log p of the true class; one column is read as the probability of the second class.',
        eps,
      );
    case 'torch_bce':
      return l10n.t(
        'torch’s BCELoss reads each element as the probability of class 1 (no class axis): its loss is −(y·log p + (1 − y)·log(1 − p)), each log clamped at −100.',
      );
    case 'torch_bce_logits':
      return l10n.t(
        'torch’s BCEWithLogitsLoss reads each element as a logit (no class axis): its loss is (1 − y)·x + log(1 + e^−x), computed with a max shift; pos_weight scales the positive term.',
      );
    case 'torch_multilabel_soft_margin':
      return l10n.t(
        'torch’s MultiLabelSoftMarginLoss reads each element as a logit: its loss is −(y·log σ(x) + (1 − y)·log σ(−x)), times the weight, averaged over the classes of each row.',
      );
    case 'sigmoid_logits':
    case 'optax_sigmoid':
      return l10n.t(
        '{0} reads each element as a logit (no class axis): its loss is max(x, 0) − x·y + log(1 + e^−|x|), the value of torch’s BCEWithLogitsLoss.',
        name,
      );
    case 'keras_bce':
      return o.fromLogits
        ? l10n.t(
            'With from_logits=True Keras reads each element as a logit: max(x, 0) − x·y + log(1 + e^−|x|), the value of torch’s BCEWithLogitsLoss.',
          )
        : l10n.t(
            'Keras clips p to [{0}, 1 − {0}] and takes −(y·log(p + {0}) + (1 − y)·log(1 − p + {0})) (tf.keras 2; Keras 3 leaves out the + {0}); torch’s BCELoss does not clip.',
            eps,
          );
    case 'tfjs_log_loss':
      return l10n.t(
        'tfjs’s logLoss takes −(y·log(p + {0}) + (1 − y)·log(1 − p + {0})) of the probabilities as given, without clipping; torch’s BCELoss clamps each log at −100 instead.',
        eps,
      );
    case 'tfjs_layers_bce':
      return l10n.t(
        'tfjs-layers clips p to [{0}, 1 − {0}], turns it into the logit log(p / (1 − p)) and takes the sigmoid cross-entropy of that; torch’s BCELoss does not clip.',
        eps,
      );
    case 'mlx_bce':
      return o.fromLogits
        ? l10n.t('MLX reads each element as a logit: logaddexp(0, x) − x·y, the value of torch’s BCEWithLogitsLoss.')
        : l10n.t(
            'With with_logits=False MLX reads probabilities: −(y·log p + (1 − y)·log(1 − p)), each log clamped at −100, as torch’s BCELoss.',
          );
  }
}

/** Label smoothing, when the call sets it. */
function smoothingNote(o: LibraryCallOptions, l10n: L10n): string | null {
  if (o.labelSmoothing <= 0) return null;
  const s = String(o.labelSmoothing);
  if (o.smoothing === 'binary')
    return l10n.t(
      'Label smoothing {0} moves each label to y·(1 − {0}) + {0}/2 (torch’s binary losses have no smoothing).',
      s,
    );
  if (o.smoothing === 'mlx')
    return l10n.t(
      'MLX smooths labels as logsumexp(x) − (1 − {0})·score − {0}·mean(x): for class-index labels that is torch’s label_smoothing={0}.',
      s,
    );
  return l10n.t('Label smoothing {0} mixes the labels into y·(1 − {0}) + {0}/C, as torch’s label_smoothing does.', s);
}

/** How the per-example losses are combined. */
function reductionNote(o: LibraryCallOptions, l10n: L10n): string {
  switch (o.reduction) {
    case 'none':
      return l10n.t("No reduction: one loss per example, like torch’s reduction='none'.");
    case 'sum':
      return o.weighted
        ? l10n.t('Each loss is multiplied by its sample weight and the products are summed.')
        : l10n.t("The losses are summed, like reduction='sum'.");
    case 'mean':
      return o.weighted
        ? l10n.t('Each loss is multiplied by its sample weight, then the sum is divided by the number of examples.')
        : l10n.t("The losses are averaged over the examples, like reduction='mean'.");
    case 'weighted_mean':
    case 'tfjs_mean':
      return o.weighted
        ? l10n.t(
            'Each loss is multiplied by its sample weight and the sum is divided by the sum of the weights; torch’s weight= is per class, not per example.',
          )
        : l10n.t("The losses are averaged over the examples, like reduction='mean'.");
    case 'sum_by_nonzero_weights':
      return o.weighted
        ? l10n.t('The weighted sum is divided by the number of non-zero weights (the default reduction).')
        : l10n.t(
            'The default reduction divides by the number of non-zero weights: without weights, the mean over the examples.',
          );
  }
}

/** The panel's account of where the pair's number comes from; null for torch's own losses. */
export function pairOrigin(pair: PairAnalysis, l10n: L10n): PairOrigin | null {
  if (pair.reduces) return reducedOrigin(pair, pair.reduces, l10n);
  const identity = pairIdentity(pair);
  const title = pairTitle(identity, l10n);
  if (identity.family === 'torch' || title === null) return null;
  const copy = torchExport(pair);
  const losses = pair.losses ?? [];
  const count = pair.losses?.length ?? 0;
  const base = {
    title,
    loss: pair.loss,
    losses: losses.slice(0, maxOriginLosses),
    count,
    pytorch: copy.offered,
    noCopy: copy.offered ? null : noTorchCopyText(copy.reason, l10n),
  };
  if (identity.family === 'formula') return { ...base, ...formulaAccount(pair, identity.name, title, l10n) };
  if (identity.family === 'user') {
    // A function of the code's own, named as a loss: no torch steps stand in for a body not read.
    const notes = [
      l10n.t(
        '{0} is a function of this code, not torch’s loss: its name says nothing of what it computes.',
        identity.name,
      ),
    ];
    if (pair.unverified !== undefined)
      notes.push(l10n.t('This loss is not computed: {0}.', reasonText(pair.unverified, l10n)));
    return {
      ...base,
      library: identity.name,
      heading:
        pair.unverified !== undefined
          ? l10n.t('What {0} computes is not known', identity.name)
          : l10n.t('What {0} computes', identity.name),
      notes,
      torchSteps: false,
    };
  }
  const o = pair.libraryCall;
  const notes: string[] = [];
  if (o) {
    notes.push(ruleNote(o, identity.name, l10n));
    const smoothing = smoothingNote(o, l10n);
    if (smoothing) notes.push(smoothing);
    notes.push(reductionNote(o, l10n));
    notes.push(
      o.torchExact && identity.torch
        ? l10n.t(
            'The steps below are torch’s {0} on the values {1} receives: the same number.',
            identity.torch,
            identity.name,
          )
        : l10n.t(
            'No torch call gives this number, so the panel shows the library’s per-example losses instead of torch’s steps.',
          ),
    );
  } else if (pair.torchKernel && identity.torch) {
    // A library whose loss copies torch's (PaddlePaddle): torch's kernel computed it, with these options.
    notes.push(
      l10n.t(
        '{0} computes {1} as torch’s {2} does: the steps below are torch’s on the values it receives, the same number.',
        identity.name,
        identity.title,
        identity.torch,
      ),
    );
  } else if (pair.unverified !== undefined) {
    notes.push(l10n.t('This loss is not computed: {0}.', reasonText(pair.unverified, l10n)));
  }
  return {
    ...base,
    library: identity.name,
    heading: l10n.t('How {0} computes it, next to torch', identity.name),
    notes: notes.slice(0, maxOriginNotes),
    torchSteps: (!!o?.torchExact || !!pair.torchKernel) && !pair.error,
  };
}

/**
 * A hand-written formula, inline or the body of a function of the code: what it computes is its
 * own arithmetic (epsilon, log base and sign as written). torch's steps are set beside it only
 * when torch's loss on the same values is the same number, and said as a comparison; a formula in
 * bits, a log-likelihood returned without its minus sign, or soft targets that torch's NLLLoss
 * refuses get their own per-example losses instead.
 */
function formulaAccount(
  pair: PairAnalysis,
  lib: string,
  title: string,
  l10n: L10n,
): { library: string; heading: string; notes: string[]; torchSteps: boolean } {
  const fn = pair.call?.kind === 'user_function' && pair.call.callee ? pair.call.callee : null;
  const words = formulaWords(pair.recogniser, pair.formulaGuard) ?? title;
  const notes = [
    fn
      ? l10n.t(
          '{0} is a function of this code, and its body is read: it computes {1} with {2}. The number is that arithmetic in {3}, not a torch loss.',
          fn,
          words,
          lib,
          pair.dtype,
        )
      : l10n.t(
          'A formula written with {0}: {1}. The number is its own arithmetic in {2}, not a torch loss.',
          lib,
          words,
          pair.dtype,
        ),
  ];
  let steps = false;
  if (pair.unverified !== undefined)
    notes.push(l10n.t('This loss is not computed: {0}.', reasonText(pair.unverified, l10n)));
  else if (pair.error) steps = false;
  else if (pair.recogniser === 'formula.cross_entropy_bits')
    notes.push(
      l10n.t(
        'It is in bits (log₂), and torch’s losses are in nats: torch’s loss on the same values would be this number × ln 2, so no torch steps are set beside it.',
      ),
    );
  else if (pair.recogniser === 'formula.binary_log_likelihood')
    notes.push(
      l10n.t(
        'It returns the log-likelihood without the minus sign (a number ≤ 0): torch’s BCELoss on the same values is its negation, so no torch steps are set beside it.',
      ),
    );
  else if (nllOfProbabilityTargets(pair))
    notes.push(
      l10n.t(
        'Its targets are probabilities, and torch’s NLLLoss takes class indices only: no torch call is set beside it.',
      ),
    );
  else {
    steps = true;
    notes.push(
      (pair.kernelInputKind ?? pair.options.inputKind) === 'log_probs'
        ? l10n.t(
            'For comparison, the steps below are torch’s NLLLoss on the logs the formula takes (with any ε it adds): the same number up to rounding, computed torch’s way.',
          )
        : l10n.t(
            'For comparison, the steps below are torch’s CrossEntropyLoss on the same values: the same number up to rounding, computed torch’s way.',
          ),
    );
  }
  return {
    library: lib,
    heading: fn ? l10n.t('What {0} computes', fn) : l10n.t('What this {0} formula computes', lib),
    notes,
    torchSteps: steps,
  };
}

/**
 * The code's own mean or sum of an earlier pair's per-element losses (`losses[mask].mean()`, `np.sum(v)`):
 * named by its call, with its number; the steps below are those per-element losses (reduction 'none').
 */
function reducedOrigin(pair: PairAnalysis, r: NonNullable<PairAnalysis['reduces']>, l10n: L10n): PairOrigin {
  const title = pair.call?.callee ? `${pair.call.callee}(…)` : r.how;
  const line = r.line === null ? l10n.t('an earlier line') : l10n.t('line {0}', r.line);
  const what = reducedNote(r, title, line, l10n);
  const copy = torchExport(pair);
  return {
    title,
    library: 'torch',
    heading: l10n.t('What {0} computes', title),
    loss: pair.loss,
    losses: pair.loss === null ? (pair.losses ?? []).slice(0, maxOriginLosses) : [],
    count: pair.loss === null ? (pair.losses?.length ?? 0) : 0,
    notes: [what, l10n.t("The steps below are those per-element losses, reduction='none'.")],
    torchSteps: true,
    pytorch: copy.offered,
    noCopy: copy.offered ? null : noTorchCopyText(copy.reason, l10n),
  };
}

/** What a reduction of per-element losses is, in one sentence: per row, or of the kept elements, or of all. */
function reducedNote(r: NonNullable<PairAnalysis['reduces']>, title: string, line: string, l10n: L10n): string {
  const mean = r.how === 'mean';
  if (r.rows)
    return mean
      ? l10n.t(
          '{0} is the mean of each row of the per-element losses of {1}, over its last axis: one value per row.',
          title,
          line,
        )
      : l10n.t(
          '{0} is the sum of each row of the per-element losses of {1}, over its last axis: one value per row.',
          title,
          line,
        );
  if (r.masked)
    return mean
      ? l10n.t(
          '{0} is the mean of the per-element losses of {1} over the {2} of {3} elements its mask keeps.',
          title,
          line,
          r.kept,
          r.of,
        )
      : l10n.t(
          '{0} is the sum of the per-element losses of {1} over the {2} of {3} elements its mask keeps.',
          title,
          line,
          r.kept,
          r.of,
        );
  return mean
    ? l10n.t('{0} is the mean of the {1} per-element losses of {2}.', title, r.of, line)
    : l10n.t('{0} is the sum of the {1} per-element losses of {2}.', title, r.of, line);
}
