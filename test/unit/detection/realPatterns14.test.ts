/**
 * Commented-out code under a loss (no claim), one print of several losses (a claim per value), and
 * scikit-learn's log_loss as ported by MaxFrame and Mars (docs/detection.md, 3.26), in snippets
 * written for this project by test/fixtures/realpatterns14/gen_realpatterns14.py, whose numbers come
 * from numpy and torch themselves. The negatives: a log_loss of an unknown module, a loss switched
 * off under a softmax print, and a print of two values that are no losses.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite(
  'realpatterns14',
  'commented-out code, prints of several losses, log_loss ports, on generated snippets',
  {
    least: { snippets: 6, negatives: 3, wrongClaims: 4 },
    exhaustive: true,
    close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
  },
);
