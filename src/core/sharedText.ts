/**
 * Sentences that more than one surface shows, written once: why "Copy as PyTorch" is not offered
 * for a pair (the hover, the copy command's message, the panel's card), why a loss is assumed
 * to be torch's (the hover, the panel's header), and a pair's title (the lens, the hover, the
 * panel's headline). The editor and the panel are sibling rooms that
 * import nothing of each other, and both may import the core.
 *
 * Localised by the `l10n` the caller hands in (`vscode.l10n` in the host, an English stand-in in
 * tests). The calls are written `l10n.t('…')` with literal messages so that @vscode/l10n-dev's
 * extraction finds them (test/unit/editor/l10n.test.ts shows it this file; the core cannot import
 * `l10n` from 'vscode' for the tool to find it on its own).
 */
import type { NoTorchReason, PairIdentity } from './libraryView';

/** What of `vscode.l10n` the sentences use, without the core importing `vscode`. */
export interface CoreL10n {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/** Why no torch call gives a pair's number, in a sentence that ends with its full stop. */
export function noTorchCopyText(reason: NoTorchReason, l10n: CoreL10n): string {
  switch (reason) {
    case 'probabilities':
      return l10n.t(
        'this library takes probabilities and clips or renormalises them, while CrossEntropyLoss takes logits.',
      );
    case 'weights':
      return l10n.t('torch’s loss has no argument for these sample weights.');
    case 'other':
      return l10n.t('no torch loss call gives this library’s number.');
    case 'binary':
      return l10n.t(
        'it writes torch’s CrossEntropyLoss or NLLLoss, and this is a binary cross-entropy (one loss per element).',
      );
    case 'no_number':
      return l10n.t('there is no number to reproduce.');
    case 'bits':
      return l10n.t('this formula is in bits (log₂), and torch’s losses are in nats.');
    case 'negated':
      return l10n.t(
        'this function returns the log-likelihood without its minus sign, and torch’s loss is its negation.',
      );
    case 'nll_probability_targets':
      return l10n.t('torch’s NLLLoss takes class indices only, and these targets are probabilities.');
  }
}

/** The short mark beside a loss taken to be torch's without an import that says so (lens, hover, panel). */
export function assumedTorchMark(l10n: CoreL10n): string {
  return l10n.t('assumed torch');
}

/**
 * Why a loss is taken to be torch's: the name it is read through is bound nowhere in the file
 * (`F` in `F.cross_entropy(…)`, a snippet that leaves its imports out), and what it is read as.
 */
export function assumedTorchText(assumed: { name: string; path: string }, l10n: CoreL10n): string {
  return l10n.t('{0} is not imported in this file: read as {1}.', assumed.name, assumed.path);
}

/**
 * The title the surfaces give a pair whose number is not torch's own loss, or null for torch's:
 * another library's call or a function of the code as the code spells it, a hand formula as
 * `numpy formula −log(p[y] + 1e-9)` in the surface's language (Korean `numpy 수식 …`). The
 * formula's words are maths as the code computes it and stay as they are.
 */
export function pairTitle(identity: PairIdentity, l10n: CoreL10n): string | null {
  switch (identity.family) {
    case 'torch':
      return null;
    case 'formula':
      return identity.words === null
        ? l10n.t('{0} formula', identity.name)
        : l10n.t('{0} formula {1}', identity.name, identity.words);
    default:
      return identity.title;
  }
}
