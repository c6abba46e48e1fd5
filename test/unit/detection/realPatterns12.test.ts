/**
 * IPython sessions, prints of '...'.format(x), and loss code in page text (docs/detection.md, 3.24),
 * in snippets written for this project by test/fixtures/realpatterns12/gen_realpatterns12.py, whose
 * numbers come from torch and numpy themselves: `In [n]:` prompts with `...:` continuations and
 * `Out[n]:` values (in a Python file and in a Markdown fence), a one-hot sum formatted by
 * `'{:.4f}'.format`, printed values written as comment lines under page-text prints (a numbered
 * heading is not one), and a function the page defines called on a row it picked into a name. The negatives look
 * like these but are none.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns12', 'IPython sessions, format prints and page-text values on generated snippets', {
  least: { snippets: 5, negatives: 3, wrongClaims: 3 },
  exhaustive: true,
});
