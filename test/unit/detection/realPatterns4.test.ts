/**
 * The families a fourth unseen measurement found missing (docs/detection.md, 3.16), each in a
 * snippet written for this project by test/fixtures/realpatterns4/gen_realpatterns4.py, whose
 * numbers come from running the snippet's own arithmetic (math, numpy) or torch: cross-entropies
 * in bits over list comprehensions and filtered generators, function bodies a page left at the
 * `def`'s column, `np.ma.log` with `np.dot`, and Python 2 print statements. The negatives (prose
 * with typographic dashes, a flattened body with a branch, one list's entropy, a masked zero)
 * give no pair with a number and no judged claim.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns4', 'fourth unseen measurement: families on generated snippets', {
  least: { snippets: 5, negatives: 4, wrongClaims: 3 },
  exhaustive: false,
});
