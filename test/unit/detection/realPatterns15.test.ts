/**
 * The softmax cross-entropies of Chainer, DeZero (and a clone of its layout), MindSpore and
 * MegEngine (docs/detection.md 3.27, 4.16), in snippets written for this project by
 * test/fixtures/realpatterns15/gen_realpatterns15.py, whose numbers are the equal torch computation.
 * The negatives call a user's own softmax_cross_entropy, another package's `functions` module,
 * Chainer's squared error and MegEngine's binary cross-entropy.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite(
  'realpatterns15',
  'Chainer, DeZero, MindSpore and MegEngine softmax cross-entropies on generated snippets',
  {
    least: { snippets: 4, negatives: 4, wrongClaims: 4 },
    exhaustive: true,
    close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
  },
);
