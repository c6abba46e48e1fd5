/**
 * The binary cross-entropies of libraries other than torch (docs/detection.md 3.18), in snippets
 * written for this project by test/fixtures/realpatterns6/gen_realpatterns6.py, whose numbers come
 * from each library's rule written step by step with torch in float32: Keras's loss object (four
 * reductions, sample weights, from_logits, label smoothing), function, metric, backend and ops
 * forms, tf.nn.sigmoid_cross_entropy_with_logits (TF2, TF1 float64), MLX, MindSpore, optax, tfjs-core
 * sigmoidCrossEntropy and tfjs-layers metrics.binaryCrossentropy. Numbers must be within a few
 * float32 ulps. The negatives are no binary cross-entropy on literal numbers.
 */
import { snippetFixtureSuite } from './snippetFixtureSuite';

snippetFixtureSuite('realpatterns6', 'binary cross-entropies of other libraries on generated snippets', {
  least: { snippets: 13, negatives: 5, wrongClaims: 5 },
  exhaustive: true,
  close: (actual, truth) => Math.abs(actual - truth) <= 4 * 2 ** -24 * Math.abs(truth) + 1e-12,
});
