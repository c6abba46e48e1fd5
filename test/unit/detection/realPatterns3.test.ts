/**
 * The families a third unseen measurement found missing (docs/detection.md, 3.14), each in a
 * snippet written for this project by test/fixtures/realpatterns3/gen_realpatterns3.py, whose
 * numbers come from torch: code written one line per inline code span, code on a fence line, a
 * number printed under a bare expression in page text, a comment repeating its print's label,
 * Keras metric objects updated batch by batch, and a loss constructor that raises (nothing after
 * it gets a number). The negatives give no pair with a number and no judged claim.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns3', 'third unseen measurement: families on generated snippets', {
  least: { snippets: 4, negatives: 5, wrongClaims: 3 },
  exhaustive: false,
});
