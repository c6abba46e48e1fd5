/**
 * Names that make a statement worth reading for the library entries (the statement reader skips
 * statements that mention no literal, no bound name and none of these). Tables only.
 */

/** Python spellings: loss classes and functions, tensor constructors, reductions over losses. */
export const libraryPyHotNames = [
  'CategoricalCrossentropy',
  'SparseCategoricalCrossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'softmax_cross_entropy_with_logits',
  'softmax_cross_entropy_with_logits_v2',
  'sparse_softmax_cross_entropy_with_logits',
  'softmax_cross_entropy',
  'softmax_cross_entropy_simple',
  'sparse_softmax_cross_entropy',
  'softmax_cross_entropy_with_integer_labels',
  'cross_entropy_logits',
  'cross_entropy_logits_sparse',
  'SoftmaxCrossEntropyWithLogits',
  'SparseSoftmaxCrossEntropyWithLogits',
  // classy_vision's soft-target loss and its registry (recognisers/classy.ts).
  'SoftTargetCrossEntropyLoss',
  'build_loss',
  // mxnet's gluon loss and its alias (recognisers/mxnet.ts).
  'SoftmaxCrossEntropyLoss',
  'SoftmaxCELoss',
  // mxnet's metric objects (recognisers/mxnetMetric.ts).
  'CrossEntropy',
  'NegativeLogLikelihood',
  'log_loss',
  'BCELoss',
  'BCEWithLogitsLoss',
  'binary_cross_entropy',
  'binary_cross_entropy_with_logits',
  'MultiLabelSoftMarginLoss',
  'multilabel_soft_margin_loss',
  'BinaryCrossentropy',
  'binary_crossentropy',
  'sigmoid_cross_entropy_with_logits',
  'weighted_cross_entropy_with_logits',
  'SigmoidCrossEntropyWithLogits',
  'sigmoid_binary_cross_entropy',
  'constant',
  'convert_to_tensor',
  'reduce_mean',
  'reduce_sum',
  'mean',
  'one_hot',
  'jit',
  'variant',
  // Module names: a loss the catalogue does not model (`losses.CategoricalFocalCrossentropy()`)
  // must still be read, so that its operands are not proposed as a pair by their names.
  'losses',
  'metrics',
  'optax',
  'assertAlmostEqual',
  'assert_allclose',
  'assertAllClose',
  'allclose',
];

/** JavaScript / TypeScript spellings (tfjs, tfjs-layers, MLX's node bindings, test assertions). */
export const libraryJsHotNames = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'crossEntropy',
  'nllLoss',
  'sigmoidCrossEntropy',
  'sigmoidCrossEntropyWithLogits',
  'logLoss',
  'binaryCrossentropy',
  'scalar',
  'expectArraysClose',
  'expectTensorsClose',
  'expectNumbersClose',
  'toBeCloseTo',
  'approximately',
  'closeTo',
];
