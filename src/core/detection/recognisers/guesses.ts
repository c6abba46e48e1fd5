/**
 * Library calls whose module is not bound in the snippet (the import is left out, or the module
 * object is a test helper): recognised by the function's own name when that name belongs to one
 * library, or to one library among those the document mentions. A guess only makes a pair when
 * its operands are arrays of the source. Also the wrappers that return the function they are
 * given (`jax.jit(f)`, chex's `self.variant(f)`).
 */
import type { CallNode, Evaluation } from '../evaluation';
import type { Node } from '../expr';
import type { Value } from '../values';
import { perTextMemo } from '../textMemo';

interface Guess {
  entry: string;
  /** The document must mention one of these (null: the name alone is enough). */
  evidence: RegExp | null;
  /** The callee must be an attribute of an object named like this (null: any callee). */
  receiver?: RegExp;
  /** The document must also mention this (the library's name beside the function's spelling). */
  also?: RegExp;
  /** With `receiver`: a bare call (`categorical_crossentropy(y, p)`, its import left out) also matches. */
  bare?: boolean;
}

/**
 * The objects Keras's functions are called on when their import is left out (`losses.`, `K.`,
 * `backend.`, …). Another object's `categorical_crossentropy` (a project's `utils.`, FastEstimator's
 * `fe.backend.` before it was bound) is another library's function, which may average or take its
 * arguments otherwise: it is not guessed to be Keras's.
 */
const kerasModule = /^(?:losses|metrics|backend|K|keras|ops|tf)$/;

/** TensorFlow's own test files call TF 1's losses through the `losses` module of losses_impl. */
const tfEvidence = /\b(?:tensorflow|tf|constant_op|array_ops|math_ops)\b/;
const tfLossesModule = /^(?:losses|losses_impl|tf_losses)$/;

const pyGuesses = new Map<string, Guess | Guess[]>([
  ['softmax_cross_entropy_with_logits', { entry: 'tf.nn.softmax_cross_entropy_with_logits', evidence: null }],
  ['softmax_cross_entropy_with_logits_v2', { entry: 'tf.nn.softmax_cross_entropy_with_logits', evidence: null }],
  [
    'sparse_softmax_cross_entropy_with_logits',
    { entry: 'tf.nn.sparse_softmax_cross_entropy_with_logits', evidence: null },
  ],
  [
    'softmax_cross_entropy',
    [
      { entry: 'optax.softmax_cross_entropy', evidence: /\b(?:optax|jax|jnp|chex|flax)\b/ },
      { entry: 'tf.v1.losses.softmax_cross_entropy', evidence: tfEvidence, receiver: tfLossesModule },
    ],
  ],
  [
    'sparse_softmax_cross_entropy',
    { entry: 'tf.v1.losses.sparse_softmax_cross_entropy', evidence: tfEvidence, receiver: tfLossesModule },
  ],
  [
    'sigmoid_cross_entropy',
    { entry: 'tf.v1.losses.sigmoid_cross_entropy', evidence: tfEvidence, receiver: tfLossesModule },
  ],
  [
    'softmax_cross_entropy_with_integer_labels',
    { entry: 'optax.softmax_cross_entropy_with_integer_labels', evidence: /\b(?:optax|jax|jnp|chex|flax)\b/ },
  ],
  ['log_loss', { entry: 'sklearn.metrics.log_loss', evidence: /\bsklearn\b|scikit-learn/ }],
  [
    'categorical_crossentropy',
    {
      entry: 'keras.losses.categorical_crossentropy',
      evidence: /\bkeras\b|\btf\./,
      receiver: kerasModule,
      bare: true,
    },
  ],
  [
    'sparse_categorical_crossentropy',
    {
      entry: 'keras.losses.sparse_categorical_crossentropy',
      evidence: /\bkeras\b|\btf\./,
      receiver: kerasModule,
      bare: true,
    },
  ],
  // Element-wise (ops, backend) or averaged over the last axis (losses): the page must name which.
  [
    'binary_crossentropy',
    [
      { entry: 'keras.ops.binary_crossentropy', evidence: /\bops\.binary_crossentropy\b/, also: /\bkeras\b/ },
      {
        entry: 'keras.backend.binary_crossentropy',
        evidence: /\b(?:backend|K)\.binary_crossentropy\b/,
        also: /\bkeras\b/,
      },
      {
        entry: 'keras.losses.binary_crossentropy',
        evidence: /\b(?:losses|metrics)\.binary_crossentropy\b/,
        also: /\bkeras\b/,
      },
    ],
  ],
  ['sigmoid_cross_entropy_with_logits', { entry: 'tf.nn.sigmoid_cross_entropy_with_logits', evidence: null }],
  [
    'sigmoid_binary_cross_entropy',
    { entry: 'optax.sigmoid_binary_cross_entropy', evidence: /\b(?:optax|jax|jnp|chex|flax)\b/ },
  ],
]);

const jsGuesses = new Map<string, Guess | Guess[]>([
  ['categoricalCrossentropy', { entry: 'tfjs-layers.losses.categoricalCrossentropy', evidence: null }],
  ['sparseCategoricalCrossentropy', { entry: 'tfjs-layers.losses.sparseCategoricalCrossentropy', evidence: null }],
  ['softmaxCrossEntropy', { entry: 'tf.losses.softmaxCrossEntropy', evidence: null, receiver: /^losses$/ }],
  ['crossEntropy', { entry: 'mlx.nn.losses.crossEntropy', evidence: /\bmlx\b/, receiver: /^losses$/ }],
  ['nllLoss', { entry: 'mlx.nn.losses.nllLoss', evidence: /\bmlx\b/, receiver: /^losses$/ }],
  ['sigmoidCrossEntropy', { entry: 'tf.losses.sigmoidCrossEntropy', evidence: null, receiver: /^losses$/ }],
  ['binaryCrossentropy', { entry: 'tfjs-layers.metrics.binaryCrossentropy', evidence: null, receiver: /^metrics$/ }],
  [
    'sigmoidCrossEntropyWithLogits',
    { entry: 'tfjs-layers.losses.sigmoidCrossEntropyWithLogits', evidence: null, receiver: /^losses$/ },
  ],
]);

/** The name a call's callee ends with, and the name of the object it is an attribute of. */
function calleeNames(call: CallNode): { name: string; receiver: string | null } | null {
  let c = call.callee;
  // `jax.jit(loss.f)(a, b)` / `self.variant(loss.f)(a, b)`: the wrapped function's names.
  if (c.type === 'call' && c.args.length === 1 && c.keywords.length === 0 && isWrapperCallee(c.callee)) c = c.args[0];
  if (c.type === 'name') return { name: c.id, receiver: null };
  if (c.type !== 'attribute') return null;
  const o = c.object;
  const receiver = o.type === 'name' ? o.id : o.type === 'attribute' ? o.name : null;
  return { name: c.name, receiver };
}

/** The catalogue id a call to an unbound function is guessed to be, or null. */
export function guessedEntry(ev: Evaluation, call: CallNode): string | null {
  const names = calleeNames(call);
  if (!names || call.args.length + call.keywords.length < 2) return null;
  const found = (ev.python ? pyGuesses : jsGuesses).get(names.name);
  if (!found) return null;
  for (const guess of Array.isArray(found) ? found : [found]) {
    if (guess.receiver && !(names.receiver !== null ? guess.receiver.test(names.receiver) : guess.bare)) continue;
    if ((guess.evidence && !mentions(ev, guess.evidence)) || (guess.also && !mentions(ev, guess.also))) continue;
    return guess.entry;
  }
  return null;
}

let mentionsOf: { text: string; document: string; found: Map<RegExp, boolean> } = {
  text: '',
  document: '',
  found: new Map(),
};

/** Whether the text or its document mentions `r`: one scan per pattern and text, however many calls ask (a file of many calls stays linear). */
function mentions(ev: Evaluation, r: RegExp): boolean {
  const { text, document } = ev.ctx;
  if (mentionsOf.text !== text || mentionsOf.document !== document) mentionsOf = { text, document, found: new Map() };
  let found = mentionsOf.found.get(r);
  if (found === undefined) {
    found = r.test(text) || r.test(document);
    mentionsOf.found.set(r, found);
  }
  return found;
}

const identityWrappers = new Set(['jax.jit', 'jax.checkpoint', 'functools.partial']);

/**
 * `jax.jit(f)` / `self.variant(f)` (chex): the function f itself, so that calling the result is
 * calling f. Undefined when the call is not such a wrapper.
 */
export function wrappedFunction(ev: Evaluation, call: CallNode, fn: Value): Value | undefined {
  if (call.args.length !== 1 || call.keywords.length > 0) return undefined;
  const wrapper = (fn.kind === 'namespace' && identityWrappers.has(fn.path)) || (ev.python && isVariant(call.callee));
  return wrapper ? ev.evaluate(call.args[0]) : undefined;
}

/** `jax.jit`, `jax.checkpoint`, `functools.partial` or chex's `self.variant`, by how the callee is spelled. */
function isWrapperCallee(callee: Node): boolean {
  if (isVariant(callee)) return true;
  return (
    callee.type === 'attribute' &&
    callee.object.type === 'name' &&
    ['jit', 'checkpoint', 'partial'].includes(callee.name) &&
    ['jax', 'functools'].includes(callee.object.id)
  );
}

function isVariant(callee: Node): boolean {
  return (
    callee.type === 'attribute' &&
    callee.name === 'variant' &&
    callee.object.type === 'name' &&
    callee.object.id === 'self'
  );
}

/** A Python assignment `name = …` at the start of a line of the text: one scan per text and name. */
const assignedHere = perTextMemo(
  (text: string, name: string): boolean =>
    text.includes(name) && new RegExp(`^[ \\t]*${name}[ \\t]*=(?!=)`, 'm').test(text),
);

/**
 * A name the source binds: one its scopes hold, or one a Python assignment gives a value they do
 * not model (`loss = make_wrapper()`, 3.75). Such a name is never guessed to be a library function.
 */
function boundHere(ev: Evaluation, name: string, held: unknown): boolean {
  if (held !== undefined) return true;
  if (!ev.python) return false;
  return assignedHere(ev.ctx.text, name);
}

/**
 * A callee that is not a name, or a name the source does not bind (`lookup`: the scopes'). Costs a
 * search of the whole text per new name: ask it only when a guess needs the answer (evaluate.ts asks
 * once a guessed library entry or a loss-like name is found), or a long file calling hundreds of
 * names it defines elsewhere is read once per name (a fifth of torch's nn/functional.py's time).
 */
export function unboundCallee(ev: Evaluation, callee: Node, lookup: (name: string) => unknown): boolean {
  return callee.type !== 'name' || !boundHere(ev, callee.id, lookup(callee.id));
}

/**
 * The library entry guessed for a call ({@link guessedEntry}) when its callee is not one the source
 * binds ({@link unboundCallee}), asked in that order: a guess is rare, and the binding question
 * costs a search of the whole text per new name.
 */
export function unboundGuess(ev: Evaluation, call: CallNode, lookup: (name: string) => unknown): string | null {
  const entry = guessedEntry(ev, call);
  return entry !== null && unboundCallee(ev, call.callee, lookup) ? entry : null;
}
