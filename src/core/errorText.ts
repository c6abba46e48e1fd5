/**
 * An error as the editor and the panel show it: in the user's language when it is one of Loss
 * Inspector's own sentences (an {@link ErrorDetail} came with it), and as `message` otherwise.
 *
 * Torch's own error messages (the RuntimeError text torch raises, such as `Target 7 is out of
 * bounds.`) come without a detail and stay in English as torch prints them, on purpose: that is
 * the text people look up. The same for a detector's English finding. The CLI prints `message`.
 *
 * Localised by the `l10n` the caller hands in (`vscode.l10n` in the host); the calls are written
 * `l10n.t('…')` with literal messages for @vscode/l10n-dev's extraction, as in ./sharedText.ts.
 */
import type { CoreL10n } from './sharedText';
import type { ErrorDetail, ErrorInfo } from './types';

/** `error` in the user's language where it is ours, else its English (torch's) message. */
export function errorText(error: Pick<ErrorInfo, 'message' | 'detail'>, l10n: CoreL10n): string {
  // A detail of an id this build does not know (a newer worker's) falls back to the English.
  return (error.detail && (detailText(error.detail, l10n) as string | undefined)) || error.message;
}

/** The sentence of one {@link ErrorDetail}, with its values. */
export function detailText(detail: ErrorDetail, l10n: CoreL10n): string {
  switch (detail.id) {
    case 'analysis_gone':
      return l10n.t('The analysis of version {0} is no longer available; analyse again.', detail.version);
    case 'version_not_held':
      return l10n.t('The worker does not hold version {0} of this document; send the full text.', detail.version);
    case 'no_pair':
      return l10n.t('There is no pair {0} here any more; analyse again.', detail.pair);
    case 'sample_out_of_range':
      return l10n.t('Sample {0} is out of range: the pair has {1} samples.', detail.sample, detail.count);
    case 'edit_out_of_range':
      return l10n.t(
        'An edit at {0} ({1} characters) reaches past the end of the text ({2}).',
        detail.offset,
        detail.removed,
        detail.length,
      );
    case 'selection_no_array':
      return detail.role === 'logits'
        ? l10n.t('The logits selection holds no numeric array.')
        : l10n.t('The target selection holds no numeric array.');
    case 'selection_unreadable':
      return detail.role === 'logits'
        ? l10n.t('The logits array cannot be read: {0}.', detail.reason)
        : l10n.t('The target array cannot be read: {0}.', detail.reason);
    case 'no_request':
      return l10n.t('This pair has nothing to compute.');
    case 'malformed_request':
      return l10n.t('Malformed worker request: {0}.', detail.problem);
    case 'cancelled':
      return l10n.t('The request was cancelled.');
    case 'deadline_exceeded':
      return detail.ms >= 1000
        ? l10n.t('The computation took longer than {0} s and was stopped.', Number((detail.ms / 1000).toPrecision(3)))
        : l10n.t('The computation took longer than {0} ms and was stopped.', detail.ms);
    case 'worker_out_of_memory':
      return detail.limitMb > 0
        ? l10n.t(
            'The analysis worker ran out of memory (limit {0} MB) and was stopped; the next request starts a fresh worker.',
            detail.limitMb,
          )
        : l10n.t('The analysis worker ran out of memory and was stopped; the next request starts a fresh worker.');
    case 'worker_failed':
      return l10n.t('The analysis worker crashed ({0}); the next request starts a fresh worker.', detail.reason);
    case 'worker_exited':
      return l10n.t(
        'The analysis worker exited unexpectedly (exit code {0}); the next request starts a fresh worker.',
        detail.exitCode,
      );
    case 'input_too_large':
      return l10n.t(
        'Input has {0} elements, more than the limit of {1}; raise lossInspector.maxElements to analyse it.',
        detail.elements,
        detail.limit,
      );
    case 'empty_input':
      return l10n.t('Input has no classes (C = 0): Loss Inspector needs at least one class to compute cross-entropy.');
    case 'log_probs_smoothing':
      return l10n.t('NLLLoss has no label_smoothing: it applies to CrossEntropyLoss only.');
    case 'log_probs_probabilities':
      return l10n.t('NLLLoss takes class indices only, and these targets are probabilities.');
  }
}
