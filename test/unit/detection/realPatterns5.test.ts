/**
 * The binary log loss (docs/detection.md, 3.17), in snippets written for this project by
 * test/fixtures/realpatterns5/gen_realpatterns5.py, whose numbers come from numpy and torch
 * themselves: −(y·log p + (1 − y)·log(1 − p)) written by hand (numpy and torch, clipped, as a
 * (1, m) row cost, per sample, with soft labels, in a page whose function body lost its
 * indentation) and torch's BCELoss / BCEWithLogitsLoss family (weight, pos_weight, reductions,
 * float64). Numbers must be within a few float32 ulps of torch's (numpy's float64 within 1e-15).
 * The negatives look like a binary log loss but are none, or are not computed from literals.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns5', 'binary log loss on generated snippets', {
  least: { snippets: 7, negatives: 8, wrongClaims: 3 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-15,
});
