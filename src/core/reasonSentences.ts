/**
 * The reasons of the detection layer (src/core/detection), one sentence per English template, for
 * {@link reasonText} to show in the display language. Each entry calls `l10n.t` with the English
 * template exactly as detection writes it, `{n}` where detection fills in a value: a name or code
 * fragment (kept verbatim), a number, or a nested reason (translated in its turn). The English
 * text is the key of l10n/bundle.l10n.ko.json, and @vscode/l10n-dev extracts it from these calls.
 *
 * A reason added to detection needs its sentence here: test/unit/core/reasonText.test.ts reads
 * every reason template from the detection sources and fails on one that no entry recognises.
 */
import type { CoreL10n } from './sharedText';

/** One reason sentence: its English template given to `l10n.t`, with the values read from a reason. */
export type ReasonSentence = (l10n: CoreL10n, a: string[]) => string;

export const reasonSentences: ReasonSentence[] = [
  (l10n) => l10n.t('`a value` is updated from one iteration to the next'),
  (l10n, a) => l10n.t('`an argument` is not computed here ({0})', a[0]),
  (l10n) => l10n.t('`np.ma.log` masks its elements that are not positive (its value is known once `.filled(v)`)'),
  (l10n, a) =>
    l10n.t(
      '`the input` is {0}: torch computes this loss in {0} (torch 1.13 has no {0} log_softmax on the CPU), and the float32 number would not be the one printed',
      a[0],
    ),
  (l10n, a) =>
    l10n.t(
      '`the input` is {0}: the loss is computed in {0}, whose roundings are not reproduced here, and the float32 number would not be the one printed',
      a[0],
    ),
  (l10n, a) =>
    l10n.t(
      '`the target` is {0}: the loss is computed in {0}, whose roundings are not reproduced here, and the float32 number would not be the one printed',
      a[0],
    ),
  (l10n, a) =>
    l10n.t(
      '`{0}` is {1}: the loss is computed in {1}, whose roundings are not reproduced here, and the float32 number would not be the one printed',
      a[0],
      a[1],
    ),
  (l10n, a) => l10n.t('`{0}.get(…)` reads a tensor the way only 0.x allowed', a[0]),
  (l10n, a) => l10n.t('`{0}` here is not modelled', a[0]),
  (l10n, a) => l10n.t('`{0}` is carried from one iteration to the next', a[0]),
  (l10n, a) => l10n.t('`{0}` defines no `{1}` defined once in this file', a[0], a[1]),
  (l10n, a) => l10n.t('`{0}` defines its own `__init__`, which is not followed', a[0]),
  (l10n) => l10n.t('`super` is called with arguments not modelled'),
  (l10n, a) => l10n.t('`{0}` is not a number Python reads', a[0]),
  (l10n, a) => l10n.t('`{0}` of {1} raises ValueError (math domain error) in Python', a[0], a[1]),
  (l10n, a) => l10n.t('`{0}` is not an array written in this source', a[0]),
  (l10n, a) => l10n.t('`{0}` is not computed here ({1})', a[0], a[1]),
  (l10n, a) => l10n.t('`{0}` is not computed in this source', a[0]),
  (l10n, a) => l10n.t('`{0}` is not defined in this source: what it computes is not known', a[0]),
  (l10n, a) =>
    l10n.t('`{0}` is imported from `{1}`, whose body is not in this source: what it computes is not known', a[0], a[1]),
  (l10n, a) =>
    l10n.t('`{0}` is defined on this page only after this call: run from the top, the call raises a NameError', a[0]),
  (l10n, a) => l10n.t('`{0}` is not modelled', a[0]),
  (l10n, a) =>
    l10n.t(
      '`{0}` is the project’s own code, not read here: the assertion on line {1} says it equals `{2}` on these arrays',
      a[0],
      a[1],
      a[2],
    ),
  (l10n, a) => l10n.t('`{0}` is updated from one iteration to the next', a[0]),
  (l10n, a) => l10n.t('`{0}` returns its loss combined with other values, not the loss itself', a[0]),
  (l10n, a) =>
    l10n.t(
      '`{0}` is {1}: torch computes this loss in {1} (torch 1.13 has no {1} log_softmax on the CPU), and the float32 number would not be the one printed',
      a[0],
      a[1],
    ),
  (l10n, a) => l10n.t('`{0}` on line {1} may change any name', a[0], a[1]),
  (l10n, a) => l10n.t('`{0}` on line {1} may change it', a[0], a[1]),
  (l10n, a) =>
    l10n.t(
      '`{0}` takes a new value on each iteration of the `for` on line {1}: a value claimed inside the loop is not matched to one iteration',
      a[0],
      a[1],
    ),
  (l10n, a) => l10n.t('`{0}` takes no keyword `{1}` (TypeError)', a[0], a[1]),
  (l10n) => l10n.t('a 0.x version is named'),
  (l10n) => l10n.t('a `for` loop goes over a value not known here'),
  (l10n) => l10n.t('a class index outside the classes given'),
  (l10n) => l10n.t('a conditional expression tests a value not known here'),
  (l10n) => l10n.t('a destructured parameter'),
  (l10n) => l10n.t('a destructuring declaration'),
  (l10n) => l10n.t('a for loop'),
  (l10n) => l10n.t('a label outside [0, 1]'),
  (l10n, a) => l10n.t("a label outside [0, {0}) (mxnet's pick clips it to the nearest class)", a[0]),
  (l10n) => l10n.t('a lambda made inside a function is not followed'),
  (l10n) => l10n.t('a negative label indexes from the end in numpy: not modelled'),
  (l10n) => l10n.t('a negative label: MegEngine has no ignore_index'),
  (l10n) => l10n.t('a negative label: MindSpore has no ignore_index'),
  (l10n) => l10n.t('a negative number cast to uint8 wraps around (not modelled)'),
  (l10n) => l10n.t('a negative token without ignore_index: the library raises'),
  (l10n) => l10n.t('a softmax probability may underflow: the library takes the log of the softmax'),
  (l10n) => l10n.t('a nested block'),
  (l10n) => l10n.t('branch and loop headers nested too deep on one line'),
  (l10n) => l10n.t('a `return` inside a `forEach` callback'),
  (l10n, a) => l10n.t('a callback with {0}', a[0]),
  (l10n, a) => l10n.t('a callback that assigns `{0}`, a name it does not declare', a[0]),
  (l10n) => l10n.t('a callback whose call is not closed'),
  (l10n) => l10n.t('an assignment to an element or an attribute'),
  (l10n) => l10n.t('a statement run for what it does'),
  (l10n, a) => l10n.t('the `.{0}` callback is not followed: {1}', a[0], a[1]),
  (l10n) => l10n.t("a loop's test depends on a value not known here"),
  (l10n) => l10n.t('it iterates a tfjs tensor, which raises a TypeError in JavaScript'),
  (l10n, a) => l10n.t('`{0}` inside an expression', a[0]),
  (l10n) => l10n.t('a nested definition'),
  (l10n) => l10n.t('a number in the third place is not MLX’s weights array'),
  (l10n) => l10n.t('a one-line compound statement'),
  (l10n) => l10n.t('a one-line with'),
  (l10n) => l10n.t('a prediction lies outside [1e-7, 1 − 1e-7], where log_loss (which does not clip) is not modelled'),
  (l10n) => l10n.t('a prediction read as a probability is outside [0, 1]'),
  (l10n) =>
    l10n.t(
      'a probability of 0 or less (or NaN) makes FastEstimator’s torch branch inf or NaN (torch.log, 0·log 0): no number is given',
    ),
  (l10n) => l10n.t('a row of probabilities does not sum to 1 (whether the page renormalises is not said)'),
  (l10n) => l10n.t('a softmax over every element at once is not modelled'),
  (l10n) => l10n.t('a target outside [0, 1] is not modelled'),
  (l10n) => l10n.t('a target that is not a finite number is not modelled'),
  (l10n) => l10n.t('an `if` depends on a value not known here'),
  (l10n) => l10n.t('an axis other than the last is not modelled'),
  (l10n) => l10n.t('an epsilon other than 1e-7 is not modelled'),
  (l10n) => l10n.t('an indexed assignment is not modelled'),
  (l10n) => l10n.t('an indexed assignment to it is not modelled'),
  (l10n) => l10n.t('an indicator row without exactly one 1 is not modelled'),
  (l10n) => l10n.t('an integer array of fractions'),
  (l10n) => l10n.t('an integer third argument was the class dimension in tfjs 0.x, where the result was per example'),
  (l10n) => l10n.t('an operand of this expression is not known'),
  (l10n) => l10n.t('an option of this call is not known here'),
  (l10n) =>
    l10n.t(
      "y_pred has a probability of 0 or 1, which scikit-learn clips by a bound its version decides (1e-15 before 1.2, the dtype's epsilon from 1.2): the number depends on the version",
    ),
  (l10n) => l10n.t('an option of this loss is not known here'),
  (l10n, a) => l10n.t('an {0} outside an if', a[0]),
  (l10n, a) => l10n.t('axis {0} is not an axis of a target of shape [{1}]', a[0], a[1]),
  (l10n, a) => l10n.t('axis {0} is not an axis of an input of shape [{1}]', a[0], a[1]),
  (l10n, a) => l10n.t('axis={0} is not the class axis torch reads', a[0]),
  (l10n, a) =>
    l10n.t('axis={0}, batch_axis={1}: only classes on the last axis of (batch, classes) are modelled', a[0], a[1]),
  (l10n, a) => l10n.t('calls nest deeper than {0}', a[0]),
  (l10n, a) => l10n.t('calling an instance of `{0}` (its `__call__`) is not followed', a[0]),
  (l10n) => l10n.t('chainer takes float scores x (these are integers)'),
  (l10n) =>
    l10n.t(
      "chainer's class_weight mean divides by the count of labels, not by the weights' sum as torch does: not modelled",
    ),
  (l10n, a) => l10n.t("chainer's reduce={0} is not 'mean' or 'no'", a[0]),
  (l10n) => l10n.t('DeZero indexes with the labels: float labels are not modelled'),
  (l10n, a) => l10n.t("DeZero's softmax_cross_entropy takes 2-D scores (these are {0}-D)", a[0]),
  (l10n) => l10n.t('every label is ignore_label (chainer gives 0, torch nan)'),
  (l10n) => l10n.t('every target is the ignore index: mlx-node gives 0 where torch gives nan'),
  (l10n) =>
    l10n.t(
      'FastEstimator’s backend function takes tf.Tensor or torch.Tensor operands, and which library made these is not known here',
    ),
  (l10n) => l10n.t('float targets (chainer reads them as soft labels) are not modelled here'),
  (l10n) => l10n.t('from_logits=True (pred read as log-probabilities) is not modelled here'),
  (l10n) => l10n.t("gluon's global `weight` factor is not modelled here"),
  (l10n) => l10n.t("gluon's sample_weight is not modelled here"),
  (l10n) => l10n.t("half-precision (float16) arrays: mxnet's own float16 arithmetic is not reproduced here"),
  // MXNet's metric objects (detection/recognisers/mxnetMetric.ts, mxnetMetricMethods.ts).
  (l10n, a) => l10n.t('`update` is given no {0}', a[0]),
  (l10n, a) => l10n.t('an update of {0} arrays at once: MXNet sums them into one count (not modelled here)', a[0]),
  (l10n, a) => l10n.t('the {0} of this update are not arrays known here', a[0]),
  (l10n) => l10n.t('the metric calls `asnumpy()` on MXNet NDArrays: arrays not made by mxnet are not modelled'),
  (l10n) => l10n.t('predictions that are not float32: ε=1e-12 changes their logs'),
  (l10n, a) => l10n.t('only 2-D predictions (rows, classes) are modelled (these are {0}-D)', a[0]),
  (l10n) => l10n.t('the metric takes one label per row of the predictions (AssertionError)'),
  (l10n, a) => l10n.t('the label {0} is no class of [0, {1}): numpy would truncate, wrap or refuse it', a[0], a[1]),
  (l10n, a) => l10n.t('the picked probability {0} is moved by ε={1} before its log (not modelled)', a[0], a[1]),
  (l10n) => l10n.t("MXNet's metric objects are not callable: `update(labels, preds)` adds a batch"),
  (l10n, a) => l10n.t("`{0}` of MXNet's metric is not modelled", a[0]),
  (l10n) => l10n.t('ignore_class (a masked mean) is not modelled'),
  (l10n) => l10n.t('input and target are not tensors of one float dtype (torch raises)'),
  (l10n) => l10n.t('integer data: mxnet arrays of integers are not modelled here'),
  (l10n) => l10n.t('integer targets of the logits’ rank are read as probabilities'),
  (l10n) => l10n.t('it calls itself'),
  (l10n) => l10n.t('it defines a function or class inside its body'),
  (l10n) => l10n.t('it has a loop inside it'),
  (l10n, a) => l10n.t('it has no parameter `{0}`', a[0]),
  (l10n, a) => l10n.t('it has {0}', a[0]),
  (l10n) => l10n.t('it is a coroutine (`async def`)'),
  (l10n) => l10n.t('it is called with more arguments than it takes'),
  (l10n, a) => l10n.t('it runs more than {0} statements', a[0]),
  (l10n) => l10n.t('it sets an element or attribute of a value made before it'),
  (l10n) => l10n.t('it takes *args or **kwargs'),
  (l10n, a) => l10n.t('its body changes `{0}` and reads it again', a[0]),
  (l10n, a) => l10n.t('its body changes `{0}`, which it goes over', a[0]),
  (l10n, a) => l10n.t('its body has {0}', a[0]),
  (l10n, a) => l10n.t('its body is longer than {0} statements', a[0]),
  (l10n, a) => l10n.t('its iterable reads `{0}`, which the loop assigns', a[0]),
  (l10n) => l10n.t('its parameters are not plain names'),
  (l10n) => l10n.t('label smoothing divides by the size of dimension 1, which is modelled for 2-D logits only'),
  (l10n) => l10n.t('label smoothing divides by the size of the last dimension, modelled for 2-D logits only'),
  (l10n) => l10n.t('labels of mixed types are not modelled'),
  (l10n) => l10n.t('labels that are not whole numbers (mxnet truncates them to an index)'),
  (l10n, a) => l10n.t("log of {0}: the page's clipping decides this number", a[0]),
  (l10n) => l10n.t('MegEngine takes integer labels'),
  (l10n) => l10n.t("MegEngine's keyword is `label_smooth` (it refuses `label_smoothing`)"),
  (l10n) => l10n.t('MindSpore takes Tensor operands'),
  (l10n) => l10n.t('MLX takes mx.array operands (a Python list has no shape)'),
  (l10n) => l10n.t('NaN or an infinity cast to an integer dtype is not modelled'),
  (l10n) => l10n.t('mlx-node gathers with the class indices: float indices are not modelled'),
  (l10n, a) => l10n.t('mlx-node refuses label smoothing {0} (it must be in [0, 1))', a[0]),
  (l10n, a) =>
    l10n.t('label_smoothing {0} is outside [0, 1]: some Keras versions refuse it and others use it as written', a[0]),
  (l10n) =>
    l10n.t(
      'the target is integers: tf.keras 2 raises when it multiplies them with the float output, Keras 2.2 cast them first, so the number depends on the version',
    ),
  (l10n, a) => l10n.t('more objects are changed in place than are followed (line {0})', a[0]),
  (l10n, a) => l10n.t("mxnet's softmax_cross_entropy takes 2-D data (these are {0}-D)", a[0]),
  (l10n) => l10n.t('normalize=False divides by the batch size, counting ignored labels: no torch reduction gives that'),
  (l10n) =>
    l10n.t(
      'Objax computes logsumexp(x) − Σ y·x, torch Σ y·logsumexp(x) − Σ y·x: they differ where a row of labels does not sum to 1',
    ),
  (l10n, a) =>
    l10n.t(
      "Objax multiplies the logits by the labels: labels of shape [{0}] do not broadcast to the logits' [{1}]",
      a[0],
      a[1],
    ),
  (l10n) => l10n.t('one value of this expression is not modelled'),
  (l10n) => l10n.t('only (data, shape) arguments are read'),
  (l10n, a) => l10n.t('only 2-D logits are modelled (these are {0}-D)', a[0]),
  (l10n, a) => l10n.t("only 2-D logits are modelled (these are {0}-D; mlx-node's classes are on the last axis)", a[0]),
  (l10n, a) => l10n.t('only 2-D predictions are modelled (these are {0}-D)', a[0]),
  (l10n, a) => l10n.t('only 2-D predictions are modelled (these are {0}-D; gluon averages the other axes)', a[0]),
  (l10n) =>
    l10n.t(
      'p is so close to 1 that torch 1.13 (log of 1 − p, rounded first) and later versions (log1p(−p)) give different numbers',
    ),
  (l10n, a) =>
    l10n.t(
      'paddle reads the classes on the last axis and torch on dim 1: only 2-D inputs are modelled (this one is {0}-D)',
      a[0],
    ),
  (l10n) =>
    l10n.t(
      'positional arguments: TensorFlow 0.x took (logits, targets), TensorFlow 1 a sentinel first, TensorFlow 2 (labels, logits)',
    ),
  (l10n) => l10n.t('positional options of log_loss are not modelled'),
  (l10n) => l10n.t('predictions and labels differ in shape'),
  (l10n) => l10n.t("probability targets of another shape than the logits'"),
  (l10n) => l10n.t('sample weights on 1-D predictions (a single sample) are not modelled'),
  (l10n) => l10n.t('several labels per example: the mean over labels or their sum is not said'),
  (l10n) => l10n.t('soft targets on probabilities are not modelled here'),
  (l10n) => l10n.t('sparse labels take one label per row'),
  (l10n) => l10n.t("sparse=False takes float one-hot labels of the logits' dtype"),
  (l10n) => l10n.t('sparse=True takes integer class indices'),
  (l10n) => l10n.t("sparse_label=False takes probability rows of pred's shape"),
  (l10n, a) =>
    l10n.t(
      'tf.keras 2 (log(p + 1e-7)) gives {0} and Keras 3 (log p) gives {1} for these probabilities, and nothing in this source says which Keras runs it',
      a[0],
      a[1],
    ),
  (l10n) => l10n.t('the `class_weight` of this call is not computed here'),
  (l10n) => l10n.t('the `ignore_label` of this call is not known here'),
  (l10n) => l10n.t('the `reduction` of this call is not known here'),
  (l10n) => l10n.t('the `sparse` option of this call is not known here'),
  (l10n) => l10n.t('the `is_grad` option of this call is not known here'),
  (l10n) => l10n.t('is_grad=True returns the gradient with respect to the logits, not the loss'),
  (l10n) => l10n.t('the perplexity takes logits (N, T, V) and targets (N, T)'),
  (l10n) => l10n.t('the primitive takes integer class indices'),
  (l10n, a) => l10n.t("DeZero's softmax_cross_entropy_simple takes 2-D scores (these are {0}-D)", a[0]),
  (l10n) => l10n.t("a softmax probability below 1e-15: DeZero's simple version clips it there before the log"),
  (l10n) => l10n.t('the scores are not known here'),
  (l10n) =>
    l10n.t(
      'both the claim and the computed loss are float32 residues next to zero, whose digits are the rounding of the kernel that printed them',
    ),
  (l10n) => l10n.t('the `where` mask is not modelled'),
  (l10n, a) => l10n.t('the `{0}` argument of {1} is not modelled', a[0], a[1]),
  (l10n, a) => l10n.t('the `{0}` option of {1} is not modelled here', a[0], a[1]),
  (l10n, a) =>
    l10n.t(
      "this example is in the docstring of this file's own `{0}` (line {1}), so it shows that definition and not the library's, whose rule it need not follow",
      a[0],
      a[1],
    ),
  (l10n) =>
    l10n.t(
      'paddle scales each soft-label row by Σ weight·label and torch weighs classes inside the sum: rows of different weight have no number here',
    ),
  (l10n) =>
    l10n.t(
      "paddle's weighting of soft labels (each row scaled by Σ weight·label) is modelled for reduction='mean' only",
    ),
  (l10n) => l10n.t("with soft_label=True paddle needs float labels of the input's shape"),
  (l10n, a) => l10n.t('the arguments spread by `{0}` are not known here', a[0]),
  (l10n, a) => l10n.t('the body of `{0}` is not followed', a[0]),
  (l10n, a) => l10n.t('the call to `{0}` is not followed', a[0]),
  (l10n) => l10n.t('the print shows another value before the loss, so which printed number is the loss is not told'),
  (l10n, a) => l10n.t('the call to `{0}` is not followed: {1}', a[0], a[1]),
  (l10n) => l10n.t('the claim lists more values than the loss has'),
  (l10n, a) =>
    l10n.t(
      "the class index {0} is negative and not the ignore index: MLX's gather reads it from the end (not modelled)",
      a[0],
    ),
  (l10n, a) => l10n.t('the class index {0} is out of range for {1} classes', a[0], a[1]),
  (l10n) => l10n.t('the class weight of this call is not computed here'),
  (l10n, a) => l10n.t('the code stops before it: {0}', a[0]),
  (l10n) => l10n.t('the deprecated size_average / reduce arguments are not modelled'),
  (l10n) => l10n.t("the target's shape is not the input's: how torch broadcasts it here is not modelled"),
  (l10n) => l10n.t('the example does not say which list is the prediction and which the target'),
  (l10n) => l10n.t('the example gives no target (or no prediction)'),
  (l10n) => l10n.t('the example has arguments the page does not name'),
  (l10n, a) => l10n.t("the example's `{0}` is not a prediction or a target the page names", a[0]),
  (l10n) => l10n.t('the gradient (dlogits) the primitive also returns is not computed here'),
  (l10n, a) => l10n.t('the input literal cannot be read ({0})', a[0]),
  (l10n, a) => l10n.t('the key of `{0}` is not known', a[0]),
  (l10n) => l10n.t('the labels are not known here'),
  (l10n) => l10n.t('the labels of this call are not known here'),
  (l10n) => l10n.t('the labels= list is not written in this source'),
  (l10n, a) =>
    l10n.t(
      'the list built here has {0} elements; lists built by `+` and `*` are analysed up to {1} elements each and {2} in all',
      a[0],
      a[1],
      a[2],
    ),
  (l10n) => l10n.t('the literal cannot be read'),
  (l10n, a) => l10n.t('the literal cannot be read ({0})', a[0]),
  (l10n, a) => l10n.t('the loss call fails: {0}', a[0]),
  (l10n, a) => l10n.t('the loss dtype {0} is not modelled', a[0]),
  (l10n) => l10n.t("the loss is not a single number (reduction='none')"),
  (l10n) => l10n.t('the masked sum is divided by a number not read as a count'),
  (l10n) => l10n.t('the metric has earlier updates: its result mixes batches (not modelled)'),
  (l10n) => l10n.t('the metric has no update yet'),
  (l10n) => l10n.t('the metric mixes several updates (not modelled)'),
  (l10n) => l10n.t('the operator takes one label per row of the data'),
  (l10n, a) => l10n.t('the options passed through **{0} could not be read', a[0]),
  (l10n) => l10n.t('the function prints another loss at each of its calls'),
  (l10n) => l10n.t('the page does not say binary or categorical cross-entropy'),
  (l10n) => l10n.t('the page does not say mean or sum over the examples'),
  (l10n) => l10n.t('the page does not settle whether the predictions are probabilities or logits'),
  (l10n, a) => l10n.t("the page's loss is a variant not modelled here ({0})", a[0]),
  (l10n) => l10n.t('the per-element losses it reduces have no number'),
  (l10n) => l10n.t('masked per-element losses'),
  (l10n) => l10n.t('per-element losses under another shape'),
  (l10n, a) =>
    l10n.t(
      "the predictions [{0}] and the labels [{1}] differ in shape (the library's broadcasting or squeezing is not modelled)",
      a[0],
      a[1],
    ),
  (l10n) => l10n.t('the printed value cannot be computed from the source'),
  (l10n) => l10n.t('the printed value is not known'),
  (l10n) => l10n.t('the reduction is not one tf.compat.v1.losses.Reduction has'),
  (l10n) => l10n.t('the reduction is not one tf.Reduction has'),
  (l10n) => l10n.t('the reduction is not one torch has, or not known here'),
  (l10n, a) => l10n.t('the reduction {0} is not one Keras documents', a[0]),
  (l10n, a) => l10n.t('the reduction {0} is not one MLX has', a[0]),
  (l10n) => l10n.t('the sample_weight cannot be read'),
  (l10n) => l10n.t('the sample_weight is not an array written in this source'),
  (l10n, a) => l10n.t('the sample_weight is not computed here ({0})', a[0]),
  (l10n, a) => l10n.t('the shape [{0}] does not hold {1} values', a[0], a[1]),
  (l10n) => l10n.t('the shape is not known here'),
  (l10n, a) => l10n.t('the shape of `.{0}(…)` is not known', a[0]),
  (l10n) => l10n.t('the shape= argument of this constructor is not modelled'),
  (l10n, a) =>
    l10n.t(
      "the source passes these arrays to `{0}`, which was not read as a loss: its number is that call's, not a guess of CrossEntropyLoss",
      a[0],
    ),
  (l10n, a) =>
    l10n.t(
      'the source builds `{0}` but no call of it on these arrays was read: its options would decide the number, not a guess of the default CrossEntropyLoss',
      a[0],
    ),
  (l10n, a) =>
    l10n.t(
      'the source calls `{0}`, which was not read as a loss: arrays shown beside it are its business, not a guess of CrossEntropyLoss',
      a[0],
    ),
  (l10n, a) => l10n.t('the target literal cannot be read ({0})', a[0]),
  (l10n) => l10n.t('the targets are neither class indices nor rows of probabilities'),
  (l10n) => l10n.t('the targets are not known here'),
  (l10n, a) => l10n.t('the value of `{0}` is not known here', a[0]),
  (l10n, a) => l10n.t('the value of {0} is not known here', a[0]),
  (l10n, a) => l10n.t('the weights are not computed here ({0})', a[0]),
  (l10n) => l10n.t('the weights cannot be read'),
  (l10n, a) => l10n.t('the {0} is not an array written in this source', a[0]),
  (l10n) => l10n.t('this fill of a masked log is not modelled'),
  (l10n) => l10n.t('this indexing is not modelled'),
  (l10n) => l10n.t('this negation is not modelled'),
  (l10n, a) => l10n.t('this source uses tfjs 0.x ({0}), whose softmaxCrossEntropy returned one loss per example', a[0]),
  (l10n) =>
    l10n.t(
      'torch refuses to change in place a leaf tensor that requires grad (requires_grad=True), so this code raises',
    ),
  (l10n) => l10n.t("torch's binary cross-entropy takes tensors (a list or an ndarray has no .size())"),
  (l10n) => l10n.t("torch's vectorised sigmoid of 16 or more float32 numbers is not reproduced exactly"),
  (l10n, a) =>
    l10n.t(
      "weights of shape [{0}] against losses of shape [{1}]: TensorFlow 1's broadcast_weights accepts a number or the losses' rank",
      a[0],
      a[1],
    ),
  (l10n, a) => l10n.t('what `{0}` returns is not a loss formula this module recognises', a[0]),
  (l10n, a) => l10n.t('whether `{0}` finds its key is not known', a[0]),
  (l10n) => l10n.t('with_logits=False reads pred as probabilities (torch: nll_loss of their log): not modelled here'),
  (l10n) => l10n.t('with_logits is not written as True or False here'),
  (l10n, a) => l10n.t('a probability within 1e-4 of 0 or 1: how {0} guards the logarithm there is not modelled', a[0]),
  (l10n) =>
    l10n.t('y_pred and y_true are tensors of different libraries: FastEstimator asserts they are of the same type'),
  (l10n) => l10n.t('y_pred cannot be read'),
  (l10n, a) => l10n.t('{0} changes an object holding too many others to follow', a[0]),
  (l10n, a) => l10n.t('{0} is defined in this file and its body is not followed', a[0]),
  (l10n, a) => l10n.t('{0} means different options in different Keras versions', a[0]),
  (l10n, a) => l10n.t('{0} means different options in Keras 2 and 3', a[0]),
  (l10n, a) => l10n.t('{0} on line {1}', a[0], a[1]),
  (l10n, a) => l10n.t('{0} over dimension {1} is not modelled', a[0], a[1]),
  (l10n) => l10n.t('an argument of nll_loss beyond (log_probs, targets) is not modelled'),
  (l10n) => l10n.t('braintools asserts integer labels: these are not an integer array'),
  (l10n) =>
    l10n.t('braintools takes one target per row of log-probabilities (a scalar for a 1-D row); this call raises'),
  (l10n, a) => l10n.t('log-probabilities of {0} dimensions take their classes on axis 1 (not modelled here)', a[0]),
  (l10n) => l10n.t('targets that are not an integer array are not modelled'),
  (l10n, a) =>
    l10n.t("a target outside [0, {0}): JAX's indexing wraps or clamps it instead of raising (not modelled)", a[0]),
  (l10n) => l10n.t('tf.cast to an integer dtype truncates fractions (not modelled)'),
  (l10n, a) =>
    l10n.t('`{0}` is used where it may be updated again (passed on, aliased, or in a loop or function)', a[0]),
  (l10n, a) => l10n.t("`{0}` of ignite's Loss is not modelled", a[0]),
  (l10n) =>
    l10n.t(
      "ignite's Loss raises ValueError: its loss_fn returns one loss per element (reduction='none'), not a 0-d loss",
    ),
  (l10n) =>
    l10n.t(
      "ignite's compute() rounds loss × batch size to float32 before dividing: not exactly the loss for this batch",
    ),
  (l10n) => l10n.t("ignite's running mean over several updates is not modelled"),
  (l10n) => l10n.t("only `update((y_pred, y))` with the pair written in the call is modelled for ignite's Loss"),
  (l10n) => l10n.t("the keyword arguments ignite's Loss passes to its loss (a third item) are not modelled"),
  (l10n) => l10n.t("the loss ignite's Loss wraps is not modelled here"),
  (l10n) => l10n.t("the loss of the metric's update is not known here"),
  (l10n) => l10n.t('the metric is not read in the segment it was built in'),
  // classy_vision's soft-target loss and tinygrad's loss methods (docs/detection.md 3.128-3.129).
  (l10n) => l10n.t("the registry's `build_loss` builds another loss for this config name"),
  (l10n) => l10n.t('the config dict of this loss is not known here'),
  (l10n, a) => l10n.t("classy_vision's loss has only reduction 'mean' ({0}: NotImplementedError)", a[0]),
  (l10n, a) => l10n.t('only 2-D outputs are modelled (these are {0}-D)', a[0]),
  (l10n) => l10n.t('the output went through a softmax step first: not modelled'),
  (l10n) => l10n.t("the targets are not known here, or not of the output's shape"),
  (l10n) => l10n.t('integer targets become one-hot rows: these are not class indices of the output'),
  (l10n) => l10n.t('every row is ignored (classy_vision gives 0)'),
  (l10n) => l10n.t('tinygrad takes integer labels here'),
  (l10n) =>
    l10n.t('a label outside the classes (with the default ignore_index=-1 tinygrad counts it in the mean with loss 0)'),
  (l10n) => l10n.t('a label outside the classes adds 0 in tinygrad (torch refuses it)'),
  (l10n) => l10n.t('the `label_smoothing` of this call is not known here'),
  (l10n) => l10n.t('float class indices are not modelled'),
  (l10n) => l10n.t('a label outside the classes is a zero one-hot row in tinygrad (torch refuses it)'),
  (l10n) => l10n.t('the `ignore_index` of this call is not known here'),
  (l10n) => l10n.t('tinygrad gathers at integer labels'),
  (l10n) => l10n.t('a label outside the classes: tinygrad gathers where torch refuses'),
  // tinygrad's binary cross-entropies (docs/detection.md 3.267).
  (l10n) => l10n.t('a pos_weight of tinygrad’s binary_crossentropy_logits is not modelled'),
  // TensorFlow's weighted_cross_entropy_with_logits (docs/detection.md 3.310).
  (l10n) => l10n.t('the pos_weight is not a number or an array written in this source'),
  (l10n) =>
    l10n.t(
      'a probability at 0 or 1 (or outside them): tinygrad takes its logarithm unclamped (inf or NaN), torch clamps it at −100',
    ),
];
