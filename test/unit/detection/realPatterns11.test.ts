/**
 * Hand-written losses in plain Python and numpy (docs/detection.md, 3.23), in snippets written for
 * this project by test/fixtures/realpatterns11/gen_realpatterns11.py, whose numbers come from numpy,
 * Python's math and torch themselves: the probability a one-hot row picks (Σ p·t, np.dot, a sum
 * written out) then −log; ε inside both logs of a binary log loss; np.multiply; a per-sample loop
 * clipped with min/max; a log-likelihood returned without its minus sign; the binary log loss of two
 * Python numbers. The negatives look like these losses but are none.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns11', 'hand-written Python and numpy losses on generated snippets', {
  least: { snippets: 13, negatives: 10, wrongClaims: 5 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});
