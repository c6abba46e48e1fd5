/**
 * Exercise pages about a loss (docs/detection.md, 3.20), written for this project by
 * test/fixtures/realpatterns8/gen_realpatterns8.py with numbers from torch's own functions in
 * float64: worked examples (`Input:` / `Output:`, JSON inputs, a call with an arrow, a docstring)
 * whose semantics the page's prose states. Pages that leave the semantics open give a pair without
 * a number; the negatives (MSE, accuracy, softmax pages, a formula without numbers, an output that
 * is a list, a chain without a target) give no pair with a number and no judged claim.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns8', 'exercise pages on generated fixtures', {
  least: { snippets: 12, negatives: 6, wrongClaims: 4 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 1e-12 * Math.max(1, Math.abs(truth)),
});
