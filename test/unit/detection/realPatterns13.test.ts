/**
 * Printed values alone on a page line after the code (a notebook shown as page text, a number under
 * a fence) and calls spread over two lines (docs/detection.md, 3.25), in snippets written for this
 * project by test/fixtures/realpatterns13/gen_realpatterns13.py, whose numbers come from numpy and
 * torch themselves. The negatives put numbers under code that printed nothing, printed no loss, or
 * printed one value above two number lines.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns13', 'numbers printed after page code, calls over two lines, on generated snippets', {
  least: { snippets: 4, negatives: 3, wrongClaims: 2 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});
