/**
 * Spellings met in real tutorials and tests (docs/detection.md, section 3), each in a snippet
 * written for this project by test/fixtures/realpatterns/gen_realpatterns.py, whose numbers come
 * from running the same arithmetic with torch: arrays kept in `self.` by setUp, loss calls inside
 * assert statements and allclose, f-strings, console sessions continued without prompts, examples
 * in docstrings and block comments, unlabelled Markdown fences and output blocks, a hand-written
 * log-sum-exp shifted by the row max, notebooks rendered as page text (`In [2]:`), reprs under a
 * bare expression, labelled prints against an expected-output block, printed tuples, a TensorFlow
 * 1.x session's run, and tfjs 0.x tests. Every right claim holds, every wrong claim is caught, the
 * negatives give no pair with a number, and arrays shown beside a call are no pair of their own.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns', 'real-code spellings on the generated snippets', {
  least: { snippets: 8, negatives: 20, wrongClaims: 10 },
  exhaustive: true,
});
