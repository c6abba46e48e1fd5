/**
 * docs/detection.md 3.19, in snippets written for this project by
 * test/fixtures/realpatterns7/gen_realpatterns7.py, whose numbers come from torch and Python
 * themselves: a sigmoid written before torch's BCELoss (nn.Sigmoid modules, torch.sigmoid,
 * `.sigmoid()`, scipy's expit), by hand on sigmoid outputs, labels outside [0, 1] on logits,
 * binary losses summed in loops (over indices, over zip), a page whose flattened body starts with
 * a docstring, a Markdown page's plain code lines calling a bound name, and TF1's `tf.one_hot` of
 * one integer and 0-d sparse labels (torch's cross_entropy per example). The negatives look like
 * these but have no number to give (random, 16+ elements, saturated, a list, a loop over one list).
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns7', 'sigmoids, loops and flat pages on generated snippets', {
  least: { snippets: 13, negatives: 12, wrongClaims: 4 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});
