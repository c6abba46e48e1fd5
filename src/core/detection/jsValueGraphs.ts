/**
 * micrograd's `Value` graphs in JavaScript/TypeScript (docs/detection.md 3.420): `new Value(0.9).log().neg()`,
 * `new Value(-t[j]).mul(p.log())`, `terms.reduce((a, b) => a.add(b), new Value(0))`. A `Value` holds one float64
 * number (`.data`) and each operation of Karpathy's engine and its JavaScript ports makes a new one by the same
 * arithmetic JavaScript does on numbers, so a chain with literal leaves is read as that arithmetic: `log`, `exp`
 * (`Math.log`, `Math.exp`), `neg` (unary minus), `add`, `sub`, `mul`, `div` (`+ - * /` with a Value or a number),
 * `pow(n)` (`**`). Anything else (`tanh`, `relu`, `Value.softmax`, a class `Value` the file defines) is not read,
 * so a chain through it has no number. Only in a file that writes `new Value(` and never defines `Value` itself
 * (a class of its own may compute anything; an imported one is the engine's).
 */
import type { CallNode, Evaluation } from './evaluation';
import type { Node } from './expr';
import { numberSource } from './scalarSources';
import type { Scopes } from './scope';
import type { Value } from './values';

/** The operations read, as the JavaScript they compute. */
const unaries: Record<string, 'log' | 'exp' | 'neg'> = { log: 'log', exp: 'exp', neg: 'neg' };
const binaries: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', pow: '**' };

/** The name the receiver is bound to while its operation is read (no source name holds a NUL). */
const held = '\u0000value';

const uses = { text: '', answer: false };

/** Does the file write `new Value(` and not define `Value` (memoised per document)? */
function usesValues(text: string): boolean {
  if (uses.text !== text) {
    uses.text = text;
    // A `Value` the file defines (a class, a function, a name bound to one) is its own: its methods are not read.
    const own =
      /\bclass[ \t]+Value\b|\bfunction[ \t]*\*?[ \t]*Value[ \t]*\(|\b(?:const|let|var)[ \t]+Value[ \t]*=|\bValue[ \t]*=[^=>]/;
    uses.answer = /\bnew[ \t]+Value[ \t]*\(/.test(text) && !own.test(text);
  }
  return uses.answer;
}

/** One number: a 0-d array (a literal's source, an element read from a list, a computed step). */
function oneNumber(v: Value): v is Extract<Value, { kind: 'array' }> {
  return v.kind === 'array' && v.array.shape.length === 0 && v.array.data?.length === 1 && !v.array.transform;
}

/**
 * A Value: its number, marked in place (a number computed here, a literal's own source: the identity other readers
 * follow, a running sum's, is kept), or a marked copy of a value a name holds (the name's number stays plain).
 */
function made(v: Value, copy = false): Value {
  if (!oneNumber(v)) return { kind: 'unknown', lossy: false };
  if (copy) return { kind: 'array', array: { ...v.array, graphValue: true } };
  v.array.graphValue = true;
  return v;
}

/** Is this a Value made here (an item of an array of them included)? */
export function isGraphValue(v: Value): v is Extract<Value, { kind: 'array' }> {
  return v.kind === 'array' && v.array.graphValue === true;
}

/**
 * A `new Value(x)` or an operation of a Value read as the arithmetic it does; null for any other call (and for a
 * call read here whose operands are not numbers of this source: unknown).
 */
export function valueGraph(ev: Evaluation, scopes: Scopes, node: CallNode, fn: Value): Value | null {
  if (ev.python || !usesValues(ev.ctx.document)) return null;
  // `new Value(x).log()` is parsed as `new (Value(x).log())` (expr.ts marks the outer call): the name decides.
  if (node.callee.type === 'name' && node.callee.id === 'Value') {
    if (scopes.lookup('Value') !== undefined) return null;
    // `new Value(data, label?, requiresGrad?)`: only the data is a number; the rest names or flags it.
    const flags = node.args
      .slice(1)
      .every((a) => a.type === 'string' || (a.type === 'name' && /^(?:true|false)$/.test(a.id)));
    const v = node.args.length >= 1 && flags && !node.jsSpreads?.length ? ev.evaluate(node.args[0]) : null;
    // A number written as a literal becomes its 0-d source, so that its operations are methods of an array.
    const arg = node.args[0];
    const at = arg ? { start: arg.start, end: arg.end, name: '', cell: undefined } : null;
    const literal = v?.kind === 'number' && !v.literal && arg?.type === 'number' && at ? { ...v, literal: at } : v;
    const src = literal?.kind === 'number' ? numberSource(ev, literal) : null;
    return src
      ? made({ kind: 'array', array: src })
      : v
        ? made(v, arg.type === 'name')
        : { kind: 'unknown', lossy: false };
  }
  if (fn.kind !== 'method' || !isGraphValue(fn.receiver)) return null;
  const unary = unaries[fn.name];
  const binary = binaries[fn.name];
  // Any other method (`tanh`, `relu`, `backward`) or another arity: no number.
  if (!(unary && node.args.length === 0) && !(binary && node.args.length === 1))
    return { kind: 'unknown', lossy: false };
  if (node.keywords.length || node.jsSpreads?.length) return { kind: 'unknown', lossy: false };
  const at = { start: node.start, end: node.end };
  const self: Node = { type: 'name', id: held, ...at };
  let written: Node;
  if (binary) written = { type: 'binary', op: binary, left: self, right: node.args[0], ...at };
  else if (unary === 'neg') written = { type: 'unary', op: '-', operand: self, ...at };
  else {
    const math: Node = { type: 'attribute', object: { type: 'name', id: 'Math', ...at }, name: unary, ...at };
    written = { type: 'call', callee: math, args: [self], keywords: [], isNew: false, ...at };
  }
  // A number written as a literal and not yet computed on, added to or multiplied by: the plain number it is,
  // as JavaScript adds `0 + t · log p` (the `new Value(0)` a `reduce` starts from).
  const d = fn.receiver.array.data;
  const plain = binary && !fn.receiver.array.terms && fn.receiver.array.site.constructorName === 'number';
  const n = plain && d?.length === 1 ? d[0] : null;
  scopes.shadow(held, n !== null ? { kind: 'number', value: n, integer: Number.isInteger(n) } : fn.receiver);
  const out = ev.evaluate(written);
  scopes.shadow(held, { kind: 'unknown', lossy: false });
  return out.kind === 'array' ? made(out) : out;
}
