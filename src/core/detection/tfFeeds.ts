/**
 * TensorFlow 1.x graphs fed through placeholders (docs/detection.md 3.94), and TF's function
 * spellings of the arithmetic operators:
 * - `x = tf.placeholder(tf.float32)` holds no number; a run gives it the value its `feed_dict`
 *   names (`sess.run(loss, feed_dict={x: data})`). When every `feed_dict` of the segment (the file,
 *   or the notebook cell) that feeds `x` gives it the same name, that name is bound once in the
 *   segment, already bound to numbers when the placeholder is made, and `x` itself is assigned
 *   once, every run of a tensor made from `x` sees those numbers: the placeholder is read as
 *   `tf.constant(data, dtype)`. A placeholder with a shape, of a dtype that is not a float, fed
 *   other names in other runs, fed a literal, or fed nowhere keeps no number.
 * - `sess.run(t, feed_dict={…})` is read as `sess.run(t)` only when every key is such a placeholder
 *   and fed the name it was read with: a feed that overrides another tensor (TensorFlow lets any
 *   tensor be fed) or gives other numbers leaves the run unknown.
 * - `tf.multiply(a, b)`, `tf.add`, `tf.subtract`, `tf.divide` (and their `tf.math.` names) are
 *   the operators `*`, `+`, `-`, `/` on the same operands.
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import { libraryPath } from './recognisers/paths';
import { unknown, type Value } from './values';

const operatorFunctions = new Map<string, string>([
  ['tf.multiply', '*'],
  ['tf.math.multiply', '*'],
  ['tf.add', '+'],
  ['tf.math.add', '+'],
  ['tf.subtract', '-'],
  ['tf.math.subtract', '-'],
  ['tf.divide', '/'],
  ['tf.math.divide', '/'],
]);

/** `tf.multiply(a, b)` and its kin: the operator's value on the two operands; null for other calls. */
export function tfOperatorCall(ev: Evaluation, path: string, call: CallNode): Value | null {
  const op = operatorFunctions.get(libraryPath(path));
  if (!op) return null;
  if (call.args.length !== 2 || call.keywords.some((k) => k.name !== 'name')) return unknown;
  const node: Node = { type: 'binary', op, left: call.args[0], right: call.args[1], start: call.start, end: call.end };
  return ev.evaluate(node);
}

const floatDtypes = new Map<string, 'float32' | 'float64'>([
  ['float32', 'float32'],
  ['float64', 'float64'],
  ['float', 'float32'],
  ['double', 'float64'],
]);

/** `feed_dict={a: b, …}` entries of a segment whose key and value are both bare names. */
interface Feed {
  key: string;
  value: string;
  /** Offset of the value name in the segment's text. */
  at: number;
}

const feedDict = /\bfeed_dict\s*=\s*\{/g;
const entry = /^\s*([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)\s*$/;

/** Every feed of the segment `text`; null when one of its feed_dicts holds anything but name: name entries. */
function feedsOf(text: string): Feed[] | null {
  const out: Feed[] = [];
  feedDict.lastIndex = 0;
  for (let m = feedDict.exec(text); m; m = feedDict.exec(text)) {
    const open = m.index + m[0].length;
    let depth = 1;
    let k = open;
    for (; k < text.length && depth > 0; k++) {
      const c = text[k];
      if (c === '{' || c === '[' || c === '(') depth++;
      else if (c === '}' || c === ']' || c === ')') depth--;
    }
    if (depth !== 0) return null;
    const body = text.slice(open, k - 1);
    if (/[[({'"]/.test(body)) return null;
    let from = open;
    for (const part of body.split(',')) {
      const e = entry.exec(part);
      if (e) out.push({ key: e[1], value: e[2], at: from + part.indexOf(e[2], part.indexOf(':')) });
      else if (part.trim() !== '') return null;
      from += part.length + 1;
    }
  }
  return out;
}

const segmentFeeds = new WeakMap<object, { text: string; feeds: Feed[] | null }>();

function feeds(ev: Evaluation): Feed[] | null {
  const known = segmentFeeds.get(ev.ctx);
  if (known && known.text === ev.ctx.text) return known.feeds;
  const f = ev.ctx.text.includes('feed_dict') ? feedsOf(ev.ctx.text) : [];
  segmentFeeds.set(ev.ctx, { text: ev.ctx.text, feeds: f });
  return f;
}

/** How many times `name` is the target of a plain assignment in the segment. */
function assignments(text: string, name: string): number {
  const re = new RegExp(`(?:^|[\\n;])[ \\t]*${name}[ \\t]*=(?!=)`, 'g');
  return text.match(re)?.length ?? 0;
}

/** How many times `name` is a key of a dict literal in the segment (`{x: …}`, `, x: …`). */
function keyUses(text: string, name: string): number {
  return text.match(new RegExp(`[{,][ \\t\\r\\n]*${name}[ \\t]*:`, 'g'))?.length ?? 0;
}

/** The name a call's value is assigned to on its own line (`x = tf.placeholder(…)`), if any. */
function assignedName(text: string, at: number): string | null {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const m = /^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*$/.exec(text.slice(lineStart, at));
  return m ? m[1] : null;
}

/** Placeholders read as the numbers their only feed gives them: the name each was read with. */
const fedWith = new WeakMap<object, string>();

/**
 * `x = tf.placeholder(dtype)` fed one name throughout the segment: that name's numbers as the
 * tensor TensorFlow makes of them (`tf.constant(data, dtype)`); null when not such a call.
 */
export function fedPlaceholder(ev: Evaluation, path: string, call: CallNode): Value | null {
  if (libraryPath(path) !== 'tf.placeholder' && libraryPath(path) !== 'tf.v1.placeholder') return null;
  if (!ev.python || !ev.topLevel) return unknown;
  const text = ev.ctx.text;
  const name = assignedName(text, call.start);
  const dtypeNode = call.args[0] ?? call.keywords.find((k) => k.name === 'dtype')?.value;
  const shape = call.args[1] ?? call.keywords.find((k) => k.name === 'shape')?.value;
  if (!name || !dtypeNode || call.args.length > 2 || (shape && !(shape.type === 'name' && shape.id === 'None')))
    return unknown;
  const dtype = dtypeNode.type === 'attribute' ? floatDtypes.get(dtypeNode.name) : undefined;
  if (!dtype || call.keywords.some((k) => k.name !== 'dtype' && k.name !== 'shape' && k.name !== 'name'))
    return unknown;
  const all = feeds(ev);
  const mine = all?.filter((f) => f.key === name) ?? [];
  if (!all || mine.length === 0 || mine.some((f) => f.value !== mine[0].value)) return unknown;
  if (assignments(text, name) !== 1 || assignments(text, mine[0].value) !== 1) return unknown;
  // Fed anywhere else (`sess.run(t, {x: b})`, `feed = {x: b}`): another value may reach a run.
  if (keyUses(text, name) !== mine.length) return unknown;
  const data: Node = { type: 'name', id: mine[0].value, start: mine[0].at, end: mine[0].at + mine[0].value.length };
  const bound = ev.evaluate(data);
  if (bound.kind !== 'array' || !bound.array.data || bound.array.terms || bound.array.container !== 'list')
    return unknown;
  // As `tf.constant(data, dtype=…)` makes it, at the placeholder's call (`tf` as the code names it).
  if (call.callee.type !== 'attribute') return unknown;
  const constant: Node = { ...call.callee, name: 'constant' };
  const made = ev.evaluate({
    ...call,
    callee: constant,
    args: [data],
    keywords: [{ name: 'dtype', value: dtypeNode }],
  });
  if (made.kind !== 'array' || !made.array.data) return unknown;
  fedWith.set(made.array.data, mine[0].value);
  return made;
}

/**
 * `sess.run(t, feed_dict={x: data, …})`: true when every key is a placeholder read as the numbers of
 * the very name it is fed here, so that the run is `sess.run(t)`.
 */
export function feedsKnownPlaceholders(ev: Evaluation, dict: Node): boolean {
  if (dict.type !== 'dict' || dict.entries.length === 0) return false;
  const text = ev.ctx.text;
  for (const e of dict.entries) {
    const m = /^\s*([A-Za-z_]\w*)\s*:/.exec(text.slice(e.start, e.value.start));
    if (!m || e.value.type !== 'name') return false;
    const key = ev.evaluate({ type: 'name', id: m[1], start: e.start, end: e.start + m[1].length });
    if (key.kind !== 'array' || key.array.container !== 'tensor' || !key.array.data) return false;
    if (fedWith.get(key.array.data) !== e.value.id) return false;
  }
  return true;
}
