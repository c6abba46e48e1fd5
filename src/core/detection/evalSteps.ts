/**
 * Small evaluation steps kept out of evaluate.ts: lists whose elements are written as arithmetic,
 * `None` / `np.newaxis` in an index, comparisons of known numbers, a TensorFlow 1.x session's run,
 * numpy's rounding of a loss for a print, the function forms of reshapes, Python's `min` / `max`
 * of numbers, and the function forms of elementwise arithmetic (`np.multiply`, `torch.mul`).
 */
import { pickedPair } from './recognisers/floatPicks';
import { feedsKnownPlaceholders } from './tfFeeds';
import { sessionEval } from './kerasBackend';
import { jsItem } from './jsCallbacks';
import { foldedRows } from './foldedRows';
export { foldedRows } from './foldedRows';
export { jsLength } from './jsCallbacks';
import { arrayMethod, dtypeNamed } from './arrays';
import { argumentNode, argumentValue, type CallNode, type Evaluation } from './evaluation';
import type { Node, NodeOf } from './expr';
import { materialise, type IndexPart } from './tensorIndex';
import { binaryOp, computed, kindOf, libOf, unaryOp, type Arg } from './tensorMath';
import { torchReduced } from './reducedPairs';
import { maskedBinary, maskedCall, maskedIndex, maskedMethod } from './maskedLosses';
import { listNarrow, numpyIntElement, type NarrowInt } from './narrowInts';
import { clippedNumber, loggedNumber, mathDomainError } from './scalarSources';
import { sigmoidElement } from './sigmoidElements';
import { comparedKnown } from './conditions';
import { kerasEpsilon } from './numberSpellings';
import { scalarFunction, scalarRounded } from './scalarValues';
import { comparisonMask, comparisons, isMask } from './maskPicks';

export { invertedMask } from './maskPicks';
import { unknown, unknownLossy, withArray, type ArrayValue, type Value } from './values';

/**
 * A list the tokenizer could not read whole because an element is written as arithmetic
 * (`[0.0078, 1.0 - 0.0078]`): when every element folds to a number (or every row to a list of
 * numbers of one length), the list is an array of its own, as if written with the results.
 */
export function foldedList(ev: Evaluation, node: NodeOf<'sequence'>, items: Value[]): Value | null {
  // Only a closed list with an element the tokenizer could not read: an unclosed one is a parse
  // error (its rows must not become a value), and a list of plain literals was read whole.
  if (ev.ctx.text[node.end - 1] !== ']') return null;
  if (node.items.every((x) => x.type === 'literal' || x.type === 'number')) return null;
  // Elements written as numpy integer scalars (`np.int32(0)`): their numbers, and the list's width.
  const scalars = node.items.map((x) => numpyIntElement(ev, x));
  if (!scalars.some((s) => s)) return foldedRows(ev, node.start, node.end, items);
  const widths: (NarrowInt | null)[] = [];
  const numbers = items.map((v, i): Value => {
    const s = scalars[i];
    if (s) widths.push(s.narrow);
    else if (v.kind === 'number' && v.integer) widths.push(null);
    return s ? { kind: 'number', value: s.value, integer: true } : v;
  });
  if (widths.length !== items.length) return null;
  const out = foldedRows(ev, node.start, node.end, numbers);
  const narrow = listNarrow(widths);
  return out?.kind === 'array' && narrow ? { kind: 'array', array: { ...out.array, narrowInt: narrow } } : out;
}

/** A slice's value: its bounds when each is absent or a known integer, else unknown. */
export function sliceValue(ev: Evaluation, node: NodeOf<'slice'>): Value {
  const bound = (b: Node | null): number | null | undefined => {
    if (b === null) return null;
    const v = ev.evaluate(b);
    return v.kind === 'number' && Number.isInteger(v.value) ? v.value : undefined;
  };
  const [start, stop, step] = [bound(node.lower), bound(node.upper), bound(node.step)];
  if (start === undefined || stop === undefined || step === undefined) return unknown;
  return { kind: 'slice', start, stop, step };
}

/**
 * Python's `...` among the parts of a subscript (`logits[..., :-1, :]`, `labels[..., 1:]`, as causal
 * language models shift their tokens): as many full slices as the array's axes the other parts leave,
 * numpy's and torch's rule alike (3.353). Parts unchanged without an Ellipsis; with two (an IndexError),
 * or beside a mask or a multi-axis index array (which take several axes), the Ellipsis stays and the
 * subscript is not modelled.
 */
export function ellipsisParts(
  ev: Evaluation,
  items: Node[],
  values: Value[],
  ndim: number,
): { items: Node[]; values: Value[] } {
  const isEllipsis = (n: Node): boolean => n.type === 'other' && ev.ctx.text.slice(n.start, n.end).trim() === '...';
  const at = items.findIndex(isEllipsis);
  if (at < 0 || items.length !== values.length || items.filter(isEllipsis).length > 1) return { items, values };
  const several = values.some((v) => v.kind === 'array' && (isMask(v.array) || v.array.shape.length > 1));
  const used = items.filter((n, i) => i !== at && !isNewAxis(n)).length;
  if (several || used > ndim) return { items, values };
  const full: Value = { kind: 'slice', start: null, stop: null, step: null };
  const n = ndim - used;
  return {
    items: [...items.slice(0, at), ...Array<Node>(n).fill(items[at]), ...items.slice(at + 1)],
    values: [...values.slice(0, at), ...Array<Value>(n).fill(full), ...values.slice(at + 1)],
  };
}

export function isNewAxis(n: Node): boolean {
  if (n.type === 'name') return n.id === 'None';
  return n.type === 'attribute' && n.name === 'newaxis' && n.object.type === 'name';
}

/**
 * The result of basic indexing with the None parts put back as axes of length 1 (the data, in
 * row-major order, is unchanged). Null with integer-array parts (their axes move).
 */
export function withNewAxes(got: ArrayValue, parts: IndexPart[], newAxes: boolean[]): ArrayValue | null {
  if (parts.some((p) => p.k === 'array')) return null;
  const shape: number[] = [];
  let out = 0;
  let k = 0;
  for (const isNew of newAxes) {
    if (isNew) shape.push(1);
    else if (parts[k++].k === 'slice') shape.push(got.shape[out++]);
  }
  // Axes after the last index part are kept as they are.
  while (out < got.shape.length) shape.push(got.shape[out++]);
  return withArray(got, { shape });
}

/** `sess.run(z)`, `session.run(z)` or `tf.Session().run(z)`: a TensorFlow 1.x session's run. */
function isSessionRun(node: CallNode): boolean {
  if (node.callee.type !== 'attribute' || node.callee.name !== 'run') return false;
  // A `feed_dict=` is checked where the run is evaluated (tfFeeds.ts).
  if (node.args.length !== 1 || node.keywords.some((k) => k.name !== 'feed_dict')) return false;
  const owner = node.callee.object;
  if (owner.type === 'name') return /^(?:sess|session|tf_?sess(?:ion)?)$/i.test(owner.id);
  return owner.type === 'call' && owner.callee.type === 'attribute' && /Session$/.test(owner.callee.name);
}

/**
 * A session's run evaluates the graph tensor it is given: a loss run this way prints that loss, and
 * per-row losses written by hand (`-tf.reduce_sum(y * tf.log(p), 1)`) print those rows, read as the
 * name that was run (statements.ts `formulaOf`).
 */
export function sessionRun(ev: Evaluation, node: CallNode): Value | null {
  if (!isSessionRun(node)) return null;
  const feed = node.keywords.find((k) => k.name === 'feed_dict');
  if (feed && !feedsKnownPlaceholders(ev, feed.value)) return null;
  const v = ev.evaluate(node.args[0]);
  // `sess.run([ce, mean])`: a list of fetches gives a list of their values (3.224).
  if (v.kind === 'sequence' && node.args[0].type === 'sequence' && v.items.length)
    return v.items.every((x) => x.kind === 'loss' || x.kind === 'scalar') ? v : null;
  return v.kind === 'loss' || v.kind === 'scalar' || (v.kind === 'array' && v.array.terms) ? v : null;
}

/** What `sess.run(x)` runs (x), or null when the node is no session's run. */
export function sessionRunArgument(node: Node): Node | null {
  return node.type === 'call' && isSessionRun(node) ? node.args[0] : null;
}

/**
 * Python's `round(x, n)`, and `np.around(loss, 5)` / `np.round(loss, decimals=5)` of a loss,
 * per-example losses or a number made of losses: the same value rounded to that many decimals
 * (numpy rounds half to even on the binary value, as Python does). Per-example losses keep their
 * values, marked as rounded: a printed claim's own digits judge them, and no reduction reads them.
 * Null for other calls and for numpy's rounding of other operands (left to the caller).
 */
export function rounded(ev: Evaluation, path: string, node: CallNode): Value | null {
  if (path === 'builtins.round')
    return scalarRounded(argumentValue(ev, node, { position: 0 }), argumentValue(ev, node, { position: 1 }));
  if (path !== 'numpy.around' && path !== 'numpy.round') return null;
  const x = argumentValue(ev, node, { position: 0 });
  const given = argumentNode(node, { position: 1, keyword: 'decimals' });
  const digits: Value = given ? ev.evaluate(given) : zero;
  if (digits.kind !== 'number' || !digits.integer)
    return x.kind === 'loss' || x.kind === 'scalar' ? unknownLossy : null;
  if (x.kind === 'loss' && x.pair.reduction === 'none') return { kind: 'loss', pair: x.pair, rounded: digits.value };
  if (x.kind === 'loss' || x.kind === 'scalar') return scalarRounded(x, digits);
  return null;
}

const zero: Value = { kind: 'number', value: 0, integer: true };

const reshapeFunctions = new Map<string, string>([
  ['torch.reshape', 'reshape'],
  ['torch.unsqueeze', 'unsqueeze'],
  ['torch.squeeze', 'squeeze'],
  ['torch.flatten', 'flatten'],
  ['numpy.reshape', 'reshape'],
  ['numpy.squeeze', 'squeeze'],
]);

/** One number: a reduced loss, a scalar computed from one, or a plain number. */
function oneNumber(v: Value): boolean {
  return v.kind === 'scalar' || v.kind === 'number' || (v.kind === 'loss' && v.pair.reduction !== 'none');
}

/**
 * `cost = np.squeeze(cost)` / `cost.squeeze()` after a loss is reduced (a graded function's habit,
 * 3.134): squeezing one number leaves it as it is.
 */
export function squeezedNumber(v: Value, name: string, call: CallNode): boolean {
  return name === 'squeeze' && call.args.length === 0 && call.keywords.length === 0 && oneNumber(v);
}

/**
 * `torch.reshape(x, (1, 3))`, `torch.unsqueeze(x, 0)`, `np.reshape(a, (2, -1))`: the method form on
 * the first argument (the same numbers, another shape). Undefined for any other path.
 */
export function functionReshape(ev: Evaluation, path: string, call: CallNode): Value | undefined {
  const tf = path.startsWith('tensorflow.') ? 'tf.' + path.slice('tensorflow.'.length) : path;
  if (tf === 'tf.cast' || tf === 'tf.dtypes.cast') return tfCast(ev, call);
  const method = reshapeFunctions.get(path);
  if (!method || call.args.length === 0) return undefined;
  const x = ev.evaluate(call.args[0]);
  if (method === 'squeeze' && squeezedNumber(x, method, { ...call, args: call.args.slice(1) })) return x;
  if (x.kind !== 'array') return undefined;
  // Only positional sizes are read; `torch.flatten(x, start_dim=1)` and the like are not this form.
  if (call.keywords.length && !(method === 'squeeze' || method === 'unsqueeze')) return undefined;
  return arrayMethod(ev, x.array, method, { ...call, args: call.args.slice(1) }, () => undefined);
}

/**
 * `tf.cast(x, tf.float32)`, `tf.cast(labels, tf.int32)`: `.astype` of the dtype named. TensorFlow
 * truncates fractions toward zero when it casts to an integer dtype: such numbers are not modelled.
 */
function tfCast(ev: Evaluation, call: CallNode): Value | undefined {
  const dtype = argumentNode(call, { position: 1, keyword: 'dtype' });
  const xNode = argumentNode(call, { position: 0, keyword: 'x' });
  if (!dtype || !xNode) return undefined;
  const x = ev.evaluate(xNode);
  if (x.kind !== 'array') return undefined;
  const to = ev.evaluate(dtype);
  if (dtypeNamed(to) === 'int' && x.array.data?.some((v) => !Number.isInteger(v)))
    return {
      kind: 'opaqueArray',
      from: x.array,
      why: 'tf.cast to an integer dtype truncates fractions (not modelled)',
    };
  return arrayMethod(ev, x.array, 'astype', { ...call, args: [dtype], keywords: [] }, () => undefined);
}

/** A Python number, or one element of a Python list (a float or int as written); null otherwise. */
function plainNumber(v: Value): number | null {
  if (v.kind === 'number') return v.value;
  if (v.kind !== 'array' || v.array.shape.length !== 0 || !v.array.data || v.array.data.length !== 1) return null;
  const a = v.array;
  return a.container === 'scalar' && a.transform === null && !a.strictDtype ? v.array.data[0] : null;
}

/**
 * `if y.ndim == 1:` in a followed function, `if p[i] > 0` in a comprehension: a comparison of
 * known numbers (an element of a list is one) is Python's bool; null otherwise.
 */
/** `l op r` known before any arithmetic: a sigmoid of one element written out (3.326), or a comparison. */
export function knownBinary(ev: Evaluation, node: NodeOf<'binary'>, l: Value, r: Value): Value | null {
  return (
    sigmoidElement(ev, node) ??
    compared(node.op, l, r) ??
    comparedKnown(node.op, l, r, node.right) ??
    maskedBinary(ev, node, l, r)
  );
}

export function compared(op: string, l: Value, r: Value): Value | null {
  const a = plainNumber(l);
  const b = plainNumber(r);
  if (a === null || b === null || !comparisons[op]) return comparisonMask(op, l, r);
  return { kind: 'number', value: comparisons[op](a, b) ? 1 : 0, integer: true };
}

/**
 * Python's `max(a, b, …)` / `min(a, b, …)` of numbers known here (numbers, or one element of an
 * array): the operand itself that Python returns, the first one no later operand beats (a strict
 * comparison, as CPython's), so `min(max(p[i], eps), 1 - eps)` is the element p[i] itself when the
 * clip leaves it, and the number written when it does not. Null for other calls and operands.
 */
export function builtinExtreme(ev: Evaluation, path: string, node: CallNode): Value | null {
  // JavaScript's `Math.max(eps, Math.min(1 - eps, p[i]))` clips alike (3.283); a NaN operand (which
  // JavaScript's gives back, Python's comparison skips) is left alone.
  const js = !ev.python && (path === 'Math.max' || path === 'Math.min');
  if (js) path = `builtins.${path.slice(5)}`;
  if ((path !== 'builtins.max' && path !== 'builtins.min') || node.args.length < 2 || node.keywords.length) return null;
  let best: Value | null = null;
  let bestNum = NaN;
  for (const a of node.args) {
    const v = ev.evaluate(a);
    const x =
      v.kind === 'number'
        ? v.value
        : v.kind === 'array' && v.array.shape.length === 0 && v.array.data?.length === 1 && !v.array.transform
          ? v.array.data[0]
          : null;
    if (x === null || (js && x !== x)) return null;
    if (best === null || (path === 'builtins.max' ? x > bestNum : x < bestNum)) {
      best = v;
      bestNum = x;
    }
  }
  return best;
}

/** The function forms of elementwise arithmetic: the operator each computes. */
const elementwiseFunctions = new Map<string, string>([
  ['numpy.multiply', '*'],
  ['numpy.add', '+'],
  ['numpy.subtract', '-'],
  ['numpy.divide', '/'],
  ['numpy.true_divide', '/'],
  ['torch.mul', '*'],
  ['torch.multiply', '*'],
  ['torch.div', '/'],
  ['torch.true_divide', '/'],
]);

/**
 * `np.multiply(a, b)` / `torch.mul(a, b)` and the like with two operands and nothing else: the
 * operator's arithmetic (tensorMath.ts), so that `np.multiply(y, np.log(p))` is read as `y * np.log(p)`.
 * Null for other calls, other arguments, and operands that are not arrays or numbers known here
 * (Python lists, which numpy would convert first, are left to the caller).
 */
export function elementwiseCall(ev: Evaluation, path: string, node: CallNode): Value | null {
  const op = elementwiseFunctions.get(path);
  if (!op || node.args.length !== 2 || node.keywords.length) return null;
  const [x, y] = node.args.map((a) => ev.evaluate(a));
  const arg = (v: Value): Arg | null =>
    v.kind === 'number' ? { num: v.value, integer: v.integer } : v.kind === 'array' ? materialise(v.array) : null;
  const a = arg(x);
  const b = arg(y);
  if (!a || !b || !('site' in a || 'site' in b)) return null;
  if ([a, b].some((o) => 'site' in o && libOf(o) === 'list')) return null;
  const out = binaryOp(op, a, b);
  return out ? { kind: 'array', array: out } : null;
}

/**
 * The call forms evaluated here: elementwise arithmetic functions, Python's `min` / `max`, and the
 * log of a number bound by a literal (scalarSources.ts), `torch.mean` / `torch.sum` of per-element
 * losses (reducedPairs.ts).
 */
export function functionStep(ev: Evaluation, path: string, node: CallNode): Value | null {
  return (
    mathDomainError(ev, path, node) ??
    elementwiseCall(ev, path, node) ??
    builtinExtreme(ev, path, node) ??
    loggedNumber(ev, path, node) ??
    clippedNumber(ev, path, node) ??
    torchReduced(ev, path, node) ??
    maskedCall(ev, path, node) ??
    kerasEpsilon(path, node.args.length + node.keywords.length, ev.ctx.text) ??
    null
  );
}

/**
 * JavaScript reads of a tensor's values as one flat typed array: `t.dataSync()`, `await t.data()`,
 * mlx-node's `t.toFloat32()`.
 */
const flatReads = new Set(['dataSync', 'data', 'toFloat32']);

/**
 * `loss.dataSync()[0]` (or `(await loss.data())[0]`) of a name holding a scalar loss in JavaScript: the loss
 * itself, so a name it is kept in (`const v = loss.dataSync()[0]`) still holds the loss when a test
 * checks it. An element of per-example losses, any other index, or Python: null (not modelled).
 */
export function flatRead(ev: Evaluation, node: NodeOf<'subscript'>, obj0: Value, index: Value): Value | null {
  // `probs[t]`: an item of a list a callback made, at a class read from a target list (jsCallbacks.ts).
  if (!ev.python && obj0.kind === 'sequence') return jsItem(obj0, index);
  const masked = maskedIndex(ev, obj0, index);
  if (masked) return masked;
  const o = node.object;
  const i = node.index;
  if (ev.python || i.type !== 'number' || !i.integer || i.value !== 0) return null;
  if (o.type !== 'call' || o.args.length || o.keywords.length || o.callee.type !== 'attribute') return null;
  // Of a name only: evaluating a call again would compute its loss a second time.
  if (!flatReads.has(o.callee.name) || o.callee.object.type !== 'name') return null;
  const obj = ev.evaluate(o.callee.object);
  if (obj.kind === 'loss') return obj.pair.reduction === 'none' || obj.rounded !== undefined ? null : obj;
  return obj.kind === 'scalar' && obj.pairs.length ? obj : null;
}

/**
 * `np.ma.log(p).filled(v)`: log p where p > 0 and v where p is masked (p ≤ 0), numpy's float64.
 * Each element stays the log-probability step it is (terms.ts), marked with the fill value, so a
 * formula over it is read with the code's own numbers at the masked places. Without a fill value
 * written (numpy's default is 1e20), or of float32 numbers: opaque.
 */
export function filledLog(ev: Evaluation, a: ArrayValue, call: CallNode): Value {
  const fill = argumentValue(ev, call, { position: 0, keyword: 'fill_value' });
  const log = unaryOp('log', a, 'numpy');
  const p = a.data;
  if (fill.kind !== 'number' || !Number.isFinite(fill.value) || !log?.data || !p || kindOf(log) !== 'float64')
    return { kind: 'opaqueArray', from: a, why: 'this fill of a masked log is not modelled' };
  const v = fill.value;
  const data = Float64Array.from(log.data, (x, k) => (p[k] > 0 ? x : v));
  const terms = log.terms?.map((t) => (t?.t === 'logp' && t.via === 'given' ? { ...t, masked: v } : null)) ?? null;
  return { kind: 'array', array: computed(a, data, a.shape.slice(), 'numpy', 'float64', terms) };
}

/** An operand of elementwise arithmetic: an array (its softmax made concrete) or a number. */
export function argOf(v: Value): Arg | null {
  if (v.kind === 'number') return { num: v.value, integer: v.integer };
  if (v.kind === 'array') return materialise(v.array);
  return null;
}

/** A method that gives its receiver's value: `.squeeze()` of a number, a TensorFlow 1 `loss.eval()`. */
/** JavaScript's `x.toFixed(d)` of a loss or a number: the value rounded as printed (3.284), or null. */
export function fixed(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  if (ev.python)
    return (
      maskedMethod(ev, receiver, name, node) ?? expMethod(receiver, name, node) ?? roundMethod(ev, receiver, name, node)
    );
  if (ev.python || name !== 'toFixed' || node.args.length !== 1 || node.keywords.length) return null;
  const digits = ev.evaluate(node.args[0]);
  if (digits.kind !== 'number' || !Number.isInteger(digits.value) || digits.value < 0 || digits.value > 100)
    return null;
  // `ce(z, 0).toFixed(4)`: a loss worked out over numbers is a pair where it is written (3.303); not inside a
  // followed helper (`const f = (v, d) => v.toFixed(d)`), whose `v` is no place a loss is written (3.327).
  const stage = receiver.kind === 'number' ? receiver.picked?.stage : undefined;
  const made = (stage === 'neg' || stage === 'mean') && node.callee.type === 'attribute' && ev.topLevel;
  const value = made ? (pickedPair(ev, receiver, (node.callee as NodeOf<'attribute'>).object) ?? receiver) : receiver;
  const out = scalarRounded(value, digits);
  return out.kind === 'scalar' ? out : null;
}

/**
 * numpy's and torch's `x.round(decimals)` of a loss (`print(loss.numpy().round(4))`, MegEngine's API examples,
 * docs/detection.md 3.362): what `np.around(x, decimals)` is; null for another method or an unknown count.
 */
function roundMethod(ev: Evaluation, receiver: Value, name: string, node: CallNode): Value | null {
  if (name !== 'round' || (receiver.kind !== 'loss' && receiver.kind !== 'scalar') || node.args.length > 1) return null;
  const given = node.args[0] ?? node.keywords.find((k) => k.name === 'decimals')?.value;
  const digits: Value = given ? ev.evaluate(given) : { kind: 'number', value: 0, integer: true };
  if (digits.kind !== 'number' || !digits.integer || digits.value < 0 || digits.value > 20) return null;
  if (receiver.kind === 'loss' && receiver.pair.reduction === 'none')
    return { kind: 'loss', pair: receiver.pair, rounded: digits.value };
  const out = scalarRounded(receiver, digits);
  return out.kind === 'scalar' ? out : null;
}

/**
 * `loss.exp()` / `loss.log()` of a loss or of arithmetic over losses (a perplexity is `loss.exp()`): what
 * `torch.exp(loss)` is, so a printed perplexity is judged through the exp of its loss (3.351).
 */
function expMethod(receiver: Value, name: string, node: CallNode): Value | null {
  if ((name !== 'exp' && name !== 'log') || node.args.length || node.keywords.length) return null;
  if (receiver.kind === 'loss' && (receiver.pair.reduction === 'none' || receiver.rounded !== undefined)) return null;
  return receiver.kind === 'loss' || receiver.kind === 'scalar' ? scalarFunction(name, receiver) : null;
}

export function keepsReceiver(ev: Evaluation, receiver: Value, name: string, node: CallNode): boolean {
  return squeezedNumber(receiver, name, node) || sessionEval(ev, receiver, name, node);
}
